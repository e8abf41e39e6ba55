package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.WalletViews.GrantView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Client and service grant ids never meet: the issue's case (a PROMO grant named like the next
 * cycle's plan grant was replaced at the reset, its credits vanished and the audit broke) and its
 * variants, on the pure rules.
 */
class GrantNamespaceTest {
  private static final Instant T0 = Instant.parse("2027-03-01T10:00:00Z");

  private final RulesDriver driver = new RulesDriver(T0);

  private List<WalletEvent> step(Function<Decision, List<WalletEvent>> rule) {
    return driver.step(rule);
  }

  private WalletState state() {
    return driver.state;
  }

  private void subscribe(String cycle, Map<String, Long> rollover) {
    step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(null, null, null, null), driver.now));
    Plan bronze = new Plan("bronze", Map.of("campaign", 100L), List.of(), cycle, rollover, null, Map.of());
    step(s -> PlanRules.subscribe(s, bronze, driver.now));
  }

  private void grant(GrantRequest r) {
    step(s -> GrantRules.issueGrant(s, r, driver.now));
  }

  private static GrantRequest promo(String id, long amount, Instant expiresAt) {
    return new GrantRequest(id, "campaign", amount, GrantSource.PROMO, expiresAt, null, null, 0, false);
  }

  private List<GrantView> visibleGrants() {
    return WalletViews.wallet("w", state()).grants();
  }

  private void assertAudit(long granted, long available, long expired) {
    WalletViews.CategoryAudit a = WalletViews.audit(state()).categories().get("campaign");
    assertTrue(WalletViews.audit(state()).consistent(), () -> "audit " + WalletViews.audit(state()));
    assertEquals(List.of(granted, available, expired), List.of(a.granted(), a.available(), a.expired()),
        "granted, available, expired");
  }

  @Test
  void aPromoNamedLikeTheNextPlanGrantSurvivesTheCycleReset() {
    subscribe("PT30M", Map.of());
    // With an expiry, as in the issue: its deadline once stayed behind, stale, after the reset.
    grant(promo("plan:bronze:2:campaign", 50, T0.plus(Duration.ofHours(1))));
    assertEquals(150, state().available("campaign"));

    driver.advanceTo(T0.plus(Duration.ofMinutes(30)));
    // The first cycle's 100 expired; the second cycle's 100 came; the promo's 50 are all there.
    assertAudit(250, 150, 100);
    List<GrantView> grants = visibleGrants();
    assertEquals(2, grants.stream().filter(g -> g.grantId().equals("plan:bronze:2:campaign")).count(),
        () -> "the promo and the plan grant, each under its own name: " + grants);
    GrantView promo = grants.stream().filter(g -> g.source() == GrantSource.PROMO).findFirst().orElseThrow();
    assertEquals(50, promo.remaining());
    GrantView plan = grants.stream().filter(g -> g.source() == GrantSource.PLAN).findFirst().orElseThrow();
    assertEquals(100, plan.remaining());

    // Both expiries still happen, each exactly once, and the deadline loop ends.
    driver.advanceTo(T0.plus(Duration.ofHours(1)));
    assertTrue(WalletViews.audit(state()).consistent());
    long promoExpiries = driver.journal.stream()
        .filter(e -> e instanceof WalletEvent.GrantExpired x && x.amount() == 50).count();
    assertEquals(1, promoExpiries);
    // Three cycles of 100 granted, two expired; the promo's 50 expired at its own time.
    assertAudit(350, 100, 250);
  }

  @Test
  void aClientRetryOfAServiceShapedIdIsIdempotentAndAnotherBodyConflicts() {
    subscribe("P1M", Map.of());
    // The very id of the current plan grant: the client's grant is its own, the plan's is untouched.
    GrantRequest r = promo("plan:bronze:1:campaign", 30, null);
    grant(r);
    assertEquals(130, state().available("campaign"));
    assertEquals(100, state().grant("plan:bronze:1:campaign").orElseThrow().remaining());
    assertTrue(step(s -> GrantRules.issueGrant(s, r, driver.now)).isEmpty(), "a retry changes nothing");
    Rejection conflict = assertThrows(Rejection.class,
        () -> GrantRules.issueGrant(new Decision(state(), WalletPolicy.DEFAULTS), promo("plan:bronze:1:campaign", 31, null),
            driver.now));
    assertEquals(Rejection.IDEMPOTENCY_CONFLICT, conflict.code());
    assertTrue(conflict.detail().contains("plan:bronze:1:campaign"), "the detail names the client's own id");
  }

  @Test
  void aClientGrantWithSourcePlanIsNotTheServicesAndKeepsItsOwnExpiry() {
    subscribe("PT10S", Map.of("campaign", 100L));
    Instant later = T0.plus(Duration.ofMinutes(5));
    grant(new GrantRequest("migrated-allowance", "campaign", 40, GrantSource.PLAN, later, null, null, 0, false));
    driver.advanceTo(T0.plusSeconds(10));
    // The reset expired (and rolled over) only the service's own plan grant.
    Grant migrated = state().grant("migrated-allowance").orElseThrow();
    assertFalse(migrated.expired());
    assertEquals(40, migrated.remaining());
    assertEquals(100, state().grant("rollover:2:campaign").orElseThrow().amount(), "rollover of the plan grant only");
    driver.advanceTo(later);
    assertTrue(state().grant("migrated-allowance").orElseThrow().expired());
  }

  @Test
  void serviceGrantsNeverReplaceAnotherEvenWhenAnOldJournalHoldsTheirId() {
    subscribe("PT10S", Map.of());
    // A journal written before the fix: a client grant kept under the raw service-shaped key.
    Decision d = new Decision(state(), WalletPolicy.DEFAULTS);
    d.emit(new WalletEvent.GrantIssued(driver.now, "plan:bronze:2:campaign", "campaign", GrantSource.PROMO, 50, 0,
        T0.plus(Duration.ofHours(1)), state().grantSeq() + 1, 0, List.of(), "legacy", Map.of()));
    driver.state = d.state();
    driver.advanceTo(T0.plusSeconds(10));
    assertEquals(50, state().grant("plan:bronze:2:campaign").orElseThrow().remaining());
    assertEquals(100, state().grant("plan:bronze:2:campaign~2").orElseThrow().remaining());
    assertAudit(250, 150, 100);
  }

  @Test
  void aReplacedGrantLeavesNoStaleDeadlineAndTheDeadlineLoopEnds() {
    step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(null, null, null, null), driver.now));
    // What the old bug journaled: one key issued twice, the second time with a later expiry.
    Decision d = new Decision(state(), WalletPolicy.DEFAULTS);
    d.emit(new WalletEvent.GrantIssued(driver.now, "g", "campaign", GrantSource.PROMO, 10, 0,
        T0.plusSeconds(5), 1, 0, List.of(), "a", Map.of()));
    d.emit(new WalletEvent.GrantIssued(driver.now, "g", "campaign", GrantSource.PROMO, 20, 0,
        T0.plusSeconds(50), 2, 0, List.of(), "b", Map.of()));
    driver.state = d.state();
    assertEquals(T0.plusSeconds(50), state().nextDeadline(WalletPolicy.DEFAULTS).orElseThrow());

    Decision due = new Decision(state(), WalletPolicy.DEFAULTS);
    assertTrue(DeadlineRules.applyDue(due, T0.plus(Duration.ofDays(1))), "everything due is applied in one go");
    assertEquals(1, due.events().stream().filter(e -> e instanceof WalletEvent.GrantExpired).count(), () -> "" + due.events());
    assertEquals(T0.plusSeconds(50), due.events().get(0).at());
    assertTrue(due.state().nextDeadline(WalletPolicy.DEFAULTS).orElseThrow().isAfter(T0.plus(Duration.ofDays(1))),
        "only forgetting the spent grant is left, a retention later");
  }

  @Test
  void keysKeepTheNamespacesApart() {
    assertEquals("topup-17", GrantIds.clientKey("topup-17"));
    assertEquals("planner:1", GrantIds.clientKey("planner:1"));
    for (String serviceShaped : List.of("plan:bronze:2:campaign", "rollover:3:sms", "trial:t:1:sms")) {
      String key = GrantIds.clientKey(serviceShaped);
      assertFalse(Validation.isId(key), "a client can never send the key itself: " + key);
      assertEquals(serviceShaped, GrantIds.display(key));
    }
    assertEquals("plan:bronze:2:campaign", GrantIds.display("plan:bronze:2:campaign"));
  }
}
