package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.CycleReset;
import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.PlanSubscribed;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Plans and billing cycles: subscribing, changing plan, cycle resets with rollover, trials. */
public final class PlanRules {
  private PlanRules() {}

  /**
   * Subscribes to a plan, or changes plan: a cycle starts now. The PLAN credits of the cycle
   * being left expire at once (no rollover on a change); the new plan's allowances and trial
   * credits are granted. Subscribing again to the very same plan changes nothing. A trial is
   * given once per wallet.
   */
  public static List<WalletEvent> subscribe(Decision d, Plan plan, Instant now) {
    WalletState s = d.state();
    Subscription current = s.subscription();
    if (current != null && current.plan().equals(plan)) return List.of();
    if (plan.trial() != null && s.trialUsed()) {
      throw new Rejection(Rejection.TRIAL_ALREADY_USED, "this wallet already had a trial", Map.of());
    }
    // Plans stored before the time limits existed may hold an absurd cycle or trial: refuse them
    // here rather than overflow the cycle arithmetic.
    TimeLimits.requireCycle("cycle", plan.cycle());
    if (plan.trial() != null) TimeLimits.requireTrial("trial.duration", plan.trial().duration());
    int mark = d.size();
    ZoneId zone = s.settings().zone();
    long cycleNumber = current == null ? 1 : current.cycleNumber() + 1;
    Instant cycleEnd = CycleMath.cycleEnd(now, plan.cycle(), zone, 0);
    Instant trialEnd = plan.trial() == null ? null : CycleMath.plus(now, plan.trial().duration(), zone, 1);
    expirePlanGrants(d, now);
    d.emit(PlanSubscribed.of(now, plan, cycleNumber, now, cycleEnd, trialEnd));
    issuePlanGrants(d, plan, cycleNumber, now, cycleEnd);
    if (plan.trial() != null) {
      plan.trial().credits().forEach((category, amount) -> {
        if (amount > 0) {
          GrantRules.systemGrant(d, GrantIds.trial(plan.planId(), cycleNumber, category), category, amount,
              GrantSource.TRIAL, now, trialEnd);
        }
      });
    }
    return d.eventsSince(mark);
  }

  /**
   * The end of a cycle: unused PLAN credits expire, up to the plan's rollover cap of them come
   * back as a ROLLOVER grant valid for the new cycle, and fresh PLAN grants are issued.
   */
  static void cycleReset(Decision d, Instant at) {
    WalletState s = d.state();
    Subscription sub = s.subscription();
    Plan plan = sub.plan();
    Map<String, Long> unused = new TreeMap<>();
    for (Grant g : s.grants().values()) {
      if (isPlanAllowance(g)) unused.merge(g.category(), g.remaining(), Long::sum);
    }
    long cycleNumber = sub.cycleNumber() + 1;
    Instant end = CycleMath.cycleEnd(sub.anchor(), plan.cycle(), s.settings().zone(), sub.cycleIndex() + 1);
    expirePlanGrants(d, at);
    d.emit(new CycleReset(at, cycleNumber, at, end, Map.of()));
    unused.forEach((category, amount) -> {
      long rolled = Math.min(amount, plan.rolloverCap(category));
      if (rolled > 0) {
        GrantRules.systemGrant(d, GrantIds.rollover(cycleNumber, category), category, rolled, GrantSource.ROLLOVER,
            at, end);
      }
    });
    issuePlanGrants(d, plan, cycleNumber, at, end);
  }

  /**
   * A live allowance the service issued for the plan. A grant an admin issued with source PLAN is
   * the client's own: it keeps its own expiry and a cycle reset never touches it.
   */
  private static boolean isPlanAllowance(Grant g) {
    return g.source() == GrantSource.PLAN && g.issuedByService() && !g.expired();
  }

  private static void expirePlanGrants(Decision d, Instant at) {
    List<Grant> live = new ArrayList<>();
    for (Grant g : d.state().grants().values()) {
      if (isPlanAllowance(g)) live.add(g);
    }
    live.sort(Comparator.comparingLong(Grant::issueSeq));
    for (Grant g : live) d.emit(new GrantExpired(at, g.grantId(), g.category(), g.remaining(), Map.of()));
  }

  private static void issuePlanGrants(Decision d, Plan plan, long cycleNumber, Instant at, Instant end) {
    plan.allowances().forEach((category, amount) -> {
      if (amount > 0 && !plan.isUnlimited(category)) {
        GrantRules.systemGrant(d, GrantIds.plan(plan.planId(), cycleNumber, category), category, amount,
            GrantSource.PLAN, at, end);
      }
    });
  }
}
