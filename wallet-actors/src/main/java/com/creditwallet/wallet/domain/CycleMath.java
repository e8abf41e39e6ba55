package com.creditwallet.wallet.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;

/**
 * Billing-cycle arithmetic. Calendar periods (P1M, P1Y, P30D) are counted in the wallet's time
 * zone from the anchor (the purchase instant) and always from the anchor, never from the previous
 * end: a plan bought on Jan 31 ends its cycles on Feb 28 (or 29), Mar 31, Apr 30, ... instead of
 * drifting to the 28th. Durations with a time part (PT10S, PT1H) are exact, for tests and
 * metered plans. Lengths are checked by {@link TimeLimits} before they get here.
 */
public final class CycleMath {
  private CycleMath() {}

  /** The end of cycle number {@code n} (0-based) of a plan anchored at {@code anchor}. */
  public static Instant cycleEnd(Instant anchor, String cycle, ZoneId zone, long n) {
    return plus(anchor, cycle, zone, n + 1);
  }

  /** {@code anchor + times * length} in the zone's calendar (or exactly, for durations). */
  public static Instant plus(Instant anchor, String length, ZoneId zone, long times) {
    if (length.contains("T")) return anchor.plus(Duration.parse(length).multipliedBy(times));
    Period p = Period.parse(length);
    Period total = Period.of(
        Math.toIntExact(p.getYears() * times), Math.toIntExact(p.getMonths() * times),
        Math.toIntExact(p.getDays() * times));
    return anchor.atZone(zone).plus(total).toInstant();
  }
}
