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
    Set<String> low = new HashSet<>(s.low());
    Set<String> depleted = new HashSet<>(s.depleted());
    List<Notification> out = new ArrayList<>();
    for (Map.Entry<String, Long> b : balances.entrySet()) {
      String c = b.getKey();
      long available = b.getValue();
      if (s.unlimited().contains(c)) continue;
      Long threshold = s.thresholds().get(c);
      if (threshold != null) {
        boolean isLow = available <= threshold;
        if (isLow && low.add(c)) {
          out.add(Notification.of(walletId, seq, Notification.BALANCE_LOW, c, at, data(c, available, threshold)));
        } else if (!isLow && low.remove(c)) {
          out.add(Notification.of(walletId, seq, Notification.BALANCE_RECOVERED, c, at, data(c, available, threshold)));
        }
      }
      boolean isZero = available <= 0;
      if (isZero && depleted.add(c)) {
        out.add(Notification.of(walletId, seq, Notification.BALANCE_DEPLETED, c, at, data(c, available, threshold)));
      } else if (!isZero) {
        depleted.remove(c);
      }
    }
    return new Result(out, s.withFlags(low, depleted));
  }

  private static Map<String, Object> data(String category, long available, Long threshold) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("category", category);
    d.put("available", available);
    if (threshold != null) d.put("threshold", threshold);
    return d;
  }
}
