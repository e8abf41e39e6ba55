package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Plans, cycles, rollover, trials and unlimited categories, on the pure rules with a set clock. */
class PlanRulesTest {
  private static final Instant T0 = Instant.parse("2027-01-31T10:00:00Z");

  private final RulesDriver driver = new RulesDriver(T0);
  private WalletState state;
  private Instant now = T0;
  private final List<WalletEvent> journal = driver.journal;

  private List<WalletEvent> step(Function<Decision, List<WalletEvent>> rule) {
    driver.now = now;
    List<WalletEvent> events = driver.step(rule);
    state = driver.state;
    return events;
  }

  private void advanceTo(Instant t) {
    now = t;
    step(s -> List.of());
  }

  private static Plan plan(String id, Map<String, Long> allowances, Map<String, Long> rollover, Plan.Trial trial, String cycle) {
    return new Plan(id, allowances, List.of(), cycle, rollover, trial, Map.of());
  }

  private void reserve(String id, String category, long amount, ReservationKind kind) {
    step(s -> ReservationRules.reserve(s, new ReserveRequest(id, List.of(new Line(category, amount)), null,
        kind == ReservationKind.HOLD ? 3600 : 0, false, null), kind, now));
  }

  private long available(String category) {
    return state.available(category);
  }

  private void create() {
    step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(null, null, null, null), now));
  }

  @Test
  void subscribingIssuesPlanGrantsForTheCycle() {
    create();
    List<WalletEvent> events = step(s -> PlanRules.subscribe(s, plan("bronze", Map.of("campaign", 1000L, "app_email", 1000L), Map.of(), null, "P1M"), now));
    assertTrue(events.stream().anyMatch(e -> e instanceof WalletEvent.PlanSubscribed));
    assertEquals(1000, available("campaign"));
    Grant g = state.grant("plan:bronze:1:campaign").orElseThrow();
    assertEquals(GrantSource.PLAN, g.source());
    assertEquals(Instant.parse("2027-02-28T10:00:00Z"), g.expiresAt(), "calendar month, clamped");
    assertEquals(WalletStatus.ACTIVE, state.status());
  }

  @Test
  void cycleEndExpiresUnusedPlanCreditsAndRollsOverUpToTheCap() {
    create();
    step(s -> PlanRules.subscribe(s, plan("bronze", Map.of("campaign", 100L, "refund", 50L), Map.of("campaign", 30L), null, "P1M"), now));
    reserve("d-1", "campaign", 40, ReservationKind.DEBIT);
    assertEquals(60, available("campaign"));
    int before = journal.size();
    advanceTo(Instant.parse("2027-02-28T10:00:00Z"));
    List<WalletEvent> reset = journal.subList(before, journal.size());
    assertTrue(reset.stream().anyMatch(e -> e instanceof WalletEvent.CycleReset));
    assertEquals(100 + 30, available("campaign"), "fresh 100 + 30 of the 60 unused");
    assertEquals(50, available("refund"), "default cap 0: no rollover");
    Grant rollover = state.grants().values().stream().filter(g -> g.source() == GrantSource.ROLLOVER).findFirst().orElseThrow();
    assertEquals(30, rollover.amount());
    assertEquals(Instant.parse("2027-03-31T10:00:00Z"), rollover.expiresAt(), "valid for one cycle");
    CategoryTotals t = state.totals("campaign");
    assertEquals(60, t.expired(), "all unused PLAN credits expire (30 of them come back as ROLLOVER)");
    assertEquals(100 + 30 + 100, t.granted());

    // The rollover itself expires at the end of the next cycle, it never rolls again.
    advanceTo(Instant.parse("2027-03-31T10:00:00Z"));
    assertEquals(100 + 30, available("campaign"), "the 30 rolled over expire; 30 of the 100 roll");
    assertEquals(Instant.parse("2027-04-30T10:00:00Z"), state.subscription().cycleEnd());
  }

  @Test
  void severalMissedCyclesAreCaughtUpInOrder() {
    create();
    step(s -> PlanRules.subscribe(s, plan("fast", Map.of("sms", 5L), Map.of(), null, "PT10S"), now));
    advanceTo(T0.plusSeconds(35));
    assertEquals(4, state.subscription().cycleNumber());
    assertEquals(T0.plusSeconds(40), state.subscription().cycleEnd());
    assertEquals(5, available("sms"));
    assertEquals(15, state.totals("sms").expired());
    assertEquals(3, journal.stream().filter(e -> e instanceof WalletEvent.CycleReset).count());
  }

  @Test
  void aHoldKeepsPlanCreditsAcrossTheResetAndTheyExpireWhenReleased() {
    create();
    step(s -> PlanRules.subscribe(s, plan("fast", Map.of("sms", 10L), Map.of(), null, "PT10S"), now));
    reserve("h-1", "sms", 4, ReservationKind.HOLD);
    advanceTo(T0.plusSeconds(10));
    assertEquals(10, available("sms"));
    assertEquals(4, state.totals("sms").held());
    step(s -> ReservationRules.release(s, "h-1", now));
    assertEquals(10, available("sms"), "released credits of an expired PLAN grant expire");
    assertEquals(10, state.totals("sms").expired());
  }

  @Test
  void changingPlanMidCycleStartsANewCycleAtOnce() {
    create();
    step(s -> PlanRules.subscribe(s, plan("bronze", Map.of("campaign", 100L), Map.of("campaign", 100L), null, "P1M"), now));
    now = T0.plus(Duration.ofDays(10));
    step(s -> PlanRules.subscribe(s, plan("silver", Map.of("campaign", 300L), Map.of(), null, "P1M"), now));
    assertEquals(300, available("campaign"), "the old cycle's PLAN credits expire, no rollover on a change");
    assertEquals("silver", state.subscription().plan().planId());
    assertEquals(now, state.subscription().cycleStart());
    assertTrue(step(s -> PlanRules.subscribe(s, state.subscription().plan(), now)).isEmpty(), "same plan again");
  }

  @Test
  void trialEndBlocksNewSpendingWhateverRemainsUntilAPaidPlan() {
    create();
    Plan trial = plan("trial", Map.of("campaign", 500L), Map.of(), new Plan.Trial("PT30M", Map.of("campaign", 50L)), "P1M");
    step(s -> PlanRules.subscribe(s, trial, now));
    assertEquals(WalletStatus.TRIAL, state.status());
    assertEquals(550, available("campaign"));
    reserve("h-1", "campaign", 5, ReservationKind.HOLD);
    advanceTo(T0.plus(Duration.ofMinutes(30)));
    assertEquals(WalletStatus.TRIAL_EXPIRED, state.status());
    assertTrue(available("campaign") > 0, "credits remain");
    Rejection r = assertThrows(Rejection.class, () -> reserve("h-2", "campaign", 1, ReservationKind.HOLD));
    assertEquals("TRIAL_EXPIRED", r.code());
    assertThrows(Rejection.class, () -> reserve("d-1", "campaign", 1, ReservationKind.DEBIT));
    step(s -> ReservationRules.commit(s, "h-1", null, now));
    Rejection again = assertThrows(Rejection.class, () -> step(s -> PlanRules.subscribe(s,
        plan("trial2", Map.of("campaign", 1L), Map.of(), new Plan.Trial("P7D", Map.of()), "P1M"), now)));
    assertEquals("TRIAL_ALREADY_USED", again.code());
    step(s -> PlanRules.subscribe(s, plan("paid", Map.of("campaign", 1000L), Map.of(), null, "P1M"), now));
    assertEquals(WalletStatus.ACTIVE, state.status());
    reserve("h-3", "campaign", 1, ReservationKind.HOLD);
  }

  @Test
  void unlimitedCategoriesAreMeteredNeverBlocked() {
    create();
    Plan platinum = new Plan("platinum", Map.of("app_email", 40000L), List.of("campaign"), "P1M", Map.of(), null, Map.of());
    step(s -> PlanRules.subscribe(s, platinum, now));
    reserve("big", "campaign", 5_000_000, ReservationKind.HOLD);
    step(s -> ReservationRules.commit(s, "big", List.of(new Line("campaign", 3_000_000)), now));
    step(s -> ReservationRules.refund(s, "big", new RefundRequest("f-1", List.of(new Line("campaign", 1)), "BOUNCE"), now));
    CategoryTotals t = state.totals("campaign");
    assertEquals(3_000_000, t.committed());
    assertEquals(2_999_999, t.metered());
    assertEquals(0, t.held());
    assertTrue(state.isUnlimited("campaign"));
    assertFalse(state.isUnlimited("app_email"));
  }

  @Test
  void planGrantsRepayCommittedOverdraftFirst() {
    step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(null, null, null, Map.of("sms", 20L)), now));
    reserve("od", "sms", 15, ReservationKind.DEBIT);
    assertEquals(-15, available("sms"));
    step(s -> PlanRules.subscribe(s, plan("p", Map.of("sms", 100L), Map.of(), null, "P1M"), now));
    assertEquals(85, available("sms"));
    assertEquals(0, state.totals("sms").overdraftDebt());
  }
}
