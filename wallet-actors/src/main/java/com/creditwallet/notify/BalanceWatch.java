package com.creditwallet.notify;

import com.creditwallet.ledger.WalletReadState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Balance notifications from the balances an event left (every wallet event carries the available
 * balance of each category it touched). A category is low while its balance is at or below its
 * threshold (seed 003: "when it reaches 100 points") and depleted while at or below zero; only the
 * crossings notify, so balance.low comes once per fall and again only after a recovery.
 * Unlimited categories never notify: they are metered, never short.
 */
public final class BalanceWatch {
  private BalanceWatch() {}

  /** The notifications and the state with the new low/zero flags. */
  public record Result(List<Notification> notifications, WalletReadState state) {}

  public static Result after(String walletId, long seq, Instant at, Map<String, Long> balances, WalletReadState s) {
    if (balances == null || balances.isEmpty()) return new Result(List.of(), s);
    // Runs for every event the read side writes, and most events cross nothing: the flag sets
    // are copied, and a new state made, only when a flag changes.
    Set<String> low = s.low();
    Set<String> depleted = s.depleted();
    List<Notification> out = null;
    for (Map.Entry<String, Long> b : balances.entrySet()) {
      String c = b.getKey();
      long available = b.getValue();
      if (s.unlimited().contains(c)) continue;
      Long threshold = s.thresholds().get(c);
      if (threshold != null) {
        boolean isLow = available <= threshold;
        if (isLow != low.contains(c)) {
          low = toggled(low, c, isLow);
          out = added(out, Notification.of(walletId, seq,
              isLow ? Notification.BALANCE_LOW : Notification.BALANCE_RECOVERED, c, at, data(c, available, threshold)));
        }
      }
      boolean isZero = available <= 0;
      if (isZero != depleted.contains(c)) {
        depleted = toggled(depleted, c, isZero);
        if (isZero) {
          out = added(out, Notification.of(walletId, seq, Notification.BALANCE_DEPLETED, c, at, data(c, available, threshold)));
        }
      }
    }
    boolean unchanged = low == s.low() && depleted == s.depleted();
    return new Result(out == null ? List.of() : out, unchanged ? s : s.withFlags(low, depleted));
  }

  private static Set<String> toggled(Set<String> set, String category, boolean in) {
    Set<String> copy = new HashSet<>(set);
    if (in) copy.add(category);
    else copy.remove(category);
    return copy;
  }

  private static List<Notification> added(List<Notification> out, Notification n) {
    List<Notification> list = out == null ? new ArrayList<>() : out;
    list.add(n);
    return list;
  }

  private static Map<String, Object> data(String category, long available, Long threshold) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("category", category);
    d.put("available", available);
    if (threshold != null) d.put("threshold", threshold);
    return d;
  }
}
