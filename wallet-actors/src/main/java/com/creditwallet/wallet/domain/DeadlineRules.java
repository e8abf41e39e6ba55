package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.GrantsForgotten;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the wallet does by itself when time passes: hold TTLs, expiries, cycle and trial ends. */
public final class DeadlineRules {
  private DeadlineRules() {}

  /**
   * Everything already due at {@code now}, in deadline order, applied one after the other (a hold
   * that expires first returns its credits before their grant expires). Runs before every group
   * of commands, so no command ever sees a deadline that has passed. Stops before the next
   * deadline once the decision holds {@code maxEventsPerWrite} events (a deadline's own events, a
   * few at most for a cycle reset, are never split), so a wallet that was down while thousands of
   * holds expired catches up in bounded writes: returns false while more is due.
   */
  public static boolean applyDue(Decision d, Instant now) {
    int cap = d.policy().maxEventsPerWrite();
    // Every pass moves the cursor strictly forward through the (finite) index, so the loop ends
    // whatever the index holds; handling a deadline only ever adds deadlines after it.
    Deadline cursor = null;
    while (true) {
      Optional<Deadline> next = d.state().deadlineAfter(cursor);
      if (next.isEmpty() || next.get().at().isAfter(now)) break;
      if (d.size() >= cap) return false;
      Deadline due = next.get();
      cursor = due;
      WalletState s = d.state();
      switch (due.kind()) {
        case HOLD -> ReservationRules.expireHold(d, s.reservations().get(due.id()), due.at());
        case GRANT -> {
          Grant g = s.grants().get(due.id());
          d.emit(new GrantExpired(due.at(), g.grantId(), g.category(), g.remaining(), Map.of()));
          SubBudgetRules.rebalance(d, due.at());
        }
        case CYCLE -> {
          PlanRules.cycleReset(d, due.at());
          SubBudgetRules.rebalance(d, due.at());
        }
        case TRIAL -> d.emit(new WalletEvent.TrialEnded(due.at(), Map.of()));
        default -> throw new IllegalStateException(due.kind() + " deadlines are not in this index");
      }
    }
    List<String> forgettable = d.state().forgettable(now.minus(d.policy().forgetGrantsAfter()));
    if (!forgettable.isEmpty()) d.emit(new GrantsForgotten(now, forgettable, Map.of()));
    return true;
  }
}
