package com.creditwallet.ledger;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the read side remembers of one wallet between events: the sequence number of the last
 * event it counted ({@code watermark}; events at or below it are never counted again), the time
 * zone its usage days are in, its low-balance thresholds and unlimited categories, and which
 * categories are low or at zero now, so a crossing is notified once, not on every change while
 * the balance stays low. Stored with the wallet's usage totals, in the same atomic write.
 */
public record WalletReadState(
    long watermark,
    String timeZone,
    Map<String, Long> thresholds,
    Set<String> unlimited,
    Set<String> low,
    Set<String> depleted) {

  private static final int MAX_ZONES_CACHED = 1_000;
  private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();

  public static final WalletReadState NEW = new WalletReadState(0, "UTC", Map.of(), Set.of(), Set.of(), Set.of());

  public WalletReadState {
    timeZone = timeZone == null ? "UTC" : timeZone;
    thresholds = Map.copyOf(thresholds == null ? Map.of() : thresholds);
    unlimited = Set.copyOf(unlimited == null ? Set.of() : unlimited);
    low = Set.copyOf(low == null ? Set.of() : low);
    depleted = Set.copyOf(depleted == null ? Set.of() : depleted);
  }

  /**
   * The zone of {@link #timeZone}, UTC where the name is not one. Looked up once per name: the
   * read side asks for it on every event it counts, and {@code ZoneId.of} resolves the name and
   * its rules again each time (about 1% of a busy node's allocation).
   */
  public ZoneId zone() {
    ZoneId zone = ZONES.get(timeZone);
    if (zone != null) {
      return zone;
    }
    try {
      zone = ZoneId.of(timeZone);
    } catch (RuntimeException e) {
      zone = ZoneOffset.UTC;
    }
    // Bounded: names come from validated settings, but a stored row could hold anything.
    if (ZONES.size() < MAX_ZONES_CACHED) {
      ZONES.put(timeZone, zone);
    }
    return zone;
  }

  public WalletReadState withWatermark(long seq) {
    return new WalletReadState(seq, timeZone, thresholds, unlimited, low, depleted);
  }

  public WalletReadState withSettings(String tz, Map<String, Long> newThresholds) {
    return new WalletReadState(watermark, tz, newThresholds, unlimited, low, depleted);
  }

  public WalletReadState withUnlimited(Set<String> u) {
    return new WalletReadState(watermark, timeZone, thresholds, u, low, depleted);
  }

  public WalletReadState withFlags(Set<String> newLow, Set<String> newDepleted) {
    return new WalletReadState(watermark, timeZone, thresholds, unlimited, newLow, newDepleted);
  }
}
