package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.WalletViews;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs rules the way the entity does (due deadlines first, then the rule, then settle) and
 * checks the audit after every step, for tests that set the clock by hand.
 */
final class RulesDriver {
  WalletState state = WalletState.EMPTY;
  Instant now;
  final List<WalletEvent> journal = new ArrayList<>();

  RulesDriver(Instant start) {
    this.now = start;
  }

  /** Returns the rule's own events (without the deadlines applied before it). */
  List<WalletEvent> step(Function<Decision, List<WalletEvent>> rule) {
    Decision d = new Decision(state, WalletPolicy.DEFAULTS);
    DeadlineRules.applyDue(d, now);
    int mark = d.size();
    rule.apply(d);
    journal.addAll(d.events());
    state = d.state();
    List<WalletEvent> own = d.eventsSince(mark);
    assertTrue(WalletViews.audit(state).consistent(), () -> "audit after " + own);
    return own;
  }

  /** Moves the clock and applies what became due. */
  void advanceTo(Instant t) {
    now = t;
    step(s -> List.of());
  }
}
