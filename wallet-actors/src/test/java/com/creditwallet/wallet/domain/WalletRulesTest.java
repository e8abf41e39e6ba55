package com.creditwallet.wallet.domain;

import static com.creditwallet.wallet.domain.WalletFixture.T0;
import static com.creditwallet.wallet.domain.WalletFixture.grantReq;
import static com.creditwallet.wallet.domain.WalletFixture.hold;
import static com.creditwallet.wallet.domain.WalletFixture.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.WalletConfigured;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wallet settings, grants and their bounds, and the overdraft. */
class WalletRulesTest {

  @Test
  void configureCreatesTheWalletWithDefaultsAndRepeatsChangeNothing() {
    WalletState empty = WalletState.EMPTY;
    assertTrue(!empty.exists());
    WalletSettings.SettingsUpdate none = new WalletSettings.SettingsUpdate(null, null, null, null);
    Decision d = new Decision(empty, WalletPolicy.DEFAULTS);
    List<WalletEvent> events = WalletRules.configure(d, none, T0);
    assertEquals(d.events(), events, "the rule returns what it emitted");
    WalletConfigured e = (WalletConfigured) events.get(0);
    assertEquals(WalletSettings.DEFAULTS, e.toSettings());
    WalletState s = d.state();
    assertTrue(s.exists());
    assertEquals(1, s.settingsVersion());
    assertEquals(List.of(), configure(s, none).events(), "same settings: no event");
    WalletSettings.SettingsUpdate rome =
        new WalletSettings.SettingsUpdate("Europe/Rome", null, Map.of("sms", 100L), null);
    WalletState s2 = configure(s, rome).state();
    assertEquals(2, s2.settingsVersion());
    assertEquals(new WalletSettings("Europe/Rome", ConsumptionOrder.EXPIRING_FIRST, Map.of("sms", 100L), Map.of()), s2.settings());
    assertEquals(List.of(), configure(s2, rome).events());
    // A partial update keeps the other fields.
    WalletState s3 = configure(s2, new WalletSettings.SettingsUpdate(null, ConsumptionOrder.NON_EXPIRING_FIRST, null, null)).state();
    assertEquals("Europe/Rome", s3.settings().timeZone());
    assertEquals(Map.of("sms", 100L), s3.settings().lowBalanceThresholds());
  }

  private static Decision configure(WalletState s, WalletSettings.SettingsUpdate update) {
    Decision d = new Decision(s, WalletPolicy.DEFAULTS);
    WalletRules.configure(d, update, T0);
    return d;
  }

  @Test
  void configureRejectsBadSettings() {
    Decision d = new Decision(WalletState.EMPTY, WalletPolicy.DEFAULTS);
    assertInvalid("timeZone", () -> WalletRules.configure(d, new WalletSettings.SettingsUpdate("Mars/Olympus", null, null, null), T0));
    assertInvalid("overdraft.sms", () -> WalletRules.configure(d, new WalletSettings.SettingsUpdate(null, null, null, Map.of("sms", -1L)), T0));
    assertInvalid("overdraft.SMS", () -> WalletRules.configure(d, new WalletSettings.SettingsUpdate(null, null, null, Map.of("SMS", 1L)), T0));
    assertInvalid("lowBalanceThresholds.sms", () -> WalletRules.configure(
        d, new WalletSettings.SettingsUpdate(null, null, Map.of("sms", Validation.MAX_AMOUNT + 1), null), T0));
    assertEquals(0, d.size(), "refused before emitting anything");
    assertTrue(!d.state().exists());
  }

  private static void assertInvalid(String field, org.junit.jupiter.api.function.Executable run) {
    Rejection r = assertThrows(Rejection.class, run);
    assertEquals(Rejection.INVALID_REQUEST, r.code());
    assertEquals(field, r.extras().get("field"));
  }

  @Test
  void aGrantAddsCreditsAndIsIdempotentByGrantId() {
    WalletFixture f = WalletFixture.create();
    GrantIssued e = f.only(GrantIssued.class, f.grant("g-1", "sms", 500));
    Grant g = e.toGrant();
    assertEquals(500, g.amount());
    assertEquals(500, g.remaining());
    assertEquals(1, g.issueSeq());
    assertEquals(T0, g.issuedAt());
    assertEquals(Map.of("sms", 500L), e.balances());
    assertEquals(grantReq("g-1", "sms", 500).fingerprint(), f.grantOf("g-1").fingerprint(), "the request, for retries");
    assertEquals(List.of(), f.grant("g-1", "sms", 500), "same grant again: no event");
    f.reject(Rejection.IDEMPOTENCY_CONFLICT, s -> GrantRules.issueGrant(s, grantReq("g-1", "sms", 501), f.now()));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT, s -> GrantRules.issueGrant(s, grantReq("g-1", "email", 500), f.now()));
    assertEquals(2, f.only(GrantIssued.class, f.grant("g-2", "sms", 1)).toGrant().issueSeq());
    f.assertAudit("sms", 501, 0, 501, 0, 0, 0);
  }

  @Test
  void grantInputIsValidated() {
    WalletFixture f = WalletFixture.create();
    assertGrantField(f, "grantId", grantReq("bad id", "sms", 1));
    assertGrantField(f, "category", grantReq("g", "Sms", 1));
    assertGrantField(f, "category", grantReq("g", "s".repeat(33), 1));
    assertGrantField(f, "amount", grantReq("g", "sms", 0));
    assertGrantField(f, "amount", grantReq("g", "sms", Validation.MAX_AMOUNT + 1));
    assertGrantField(f, "source", new GrantRequest("g", "sms", 1, null, null, null, null, 0, false));
    f.grant(grantReq("g", "s".repeat(32), Validation.MAX_AMOUNT));
    assertTrue(f.state.knowsCategory("s".repeat(32)));
  }

  private static void assertGrantField(WalletFixture f, String field, GrantRequest r) {
    Rejection rej = f.reject(Rejection.INVALID_REQUEST, s -> GrantRules.issueGrant(s, r, f.now()));
    assertEquals(field, rej.extras().get("field"));
  }

  @Test
  void topUpsAreCheckedAgainstTheConfiguredBounds() {
    WalletFixture f = WalletFixture.create();
    Rejection low = f.reject(Rejection.TOPUP_OUT_OF_BOUNDS, s -> GrantRules.issueGrant(
        s, grantReq("t-1", "sms", 99, GrantSource.TOPUP, null, 0), f.now()));
    assertEquals(100L, ((Number) low.extras().get("min")).longValue());
    assertEquals(100_000L, ((Number) low.extras().get("max")).longValue());
    assertEquals("amount", low.extras().get("field"));
    f.reject(Rejection.TOPUP_OUT_OF_BOUNDS, s -> GrantRules.issueGrant(
        s, grantReq("t-1", "sms", 100_001, GrantSource.TOPUP, null, 0), f.now()));
    f.grant(grantReq("t-min", "sms", 100, GrantSource.TOPUP, null, 0));
    f.grant(grantReq("t-max", "sms", 100_000, GrantSource.TOPUP, null, 0));
    // Other sources are not bound by the top-up limits.
    f.grant(grantReq("promo", "sms", 1, GrantSource.PROMO, null, 0));
    f.grant(grantReq("big", "sms", 1_000_000, GrantSource.ADJUSTMENT, null, 0));
    f.assertAudit("sms", 1_100_101, 0, 1_100_101, 0, 0, 0);
    // The policy is configuration: other bounds, other answers.
    f.policy = new WalletPolicy(10, 20, Duration.ofHours(1));
    f.grant(grantReq("t-small", "sms", 10, GrantSource.TOPUP, null, 0));
    f.reject(Rejection.TOPUP_OUT_OF_BOUNDS, s -> GrantRules.issueGrant(
        s, grantReq("t-100", "sms", 100, GrantSource.TOPUP, null, 0), f.now()));
  }

  @Test
  void unknownCategoryIsInvalidUnlessItHasAnOverdraft() {
    WalletFixture f = WalletFixture.create();
    f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.reserve(s, hold("r", line("sms", 1)), ReservationKind.HOLD, f.now()));
    WalletFixture od = WalletFixture.withOverdraft(Map.of("sms", 5L));
    od.reserve(hold("r", line("sms", 1)));
    od.assertAudit("sms", 0, 0, -1, 1, 0, 0);
  }

  // ---- overdraft ----------------------------------------------------------------------------

  @Test
  void theBalanceMayGoDownToMinusTheLimitAndNoFurther() {
    WalletFixture f = WalletFixture.withOverdraft(Map.of("sms", 50L));
    f.grant("g", "sms", 20);
    f.reserve(hold("r-1", line("sms", 60)));
    assertEquals(List.of(new Draw("g", "sms", 20), new Draw(Draw.OVERDRAFT, "sms", 40)), f.reservation("r-1").draws());
    f.assertAudit("sms", 20, 0, -40, 60, 0, 0);
    Rejection r = f.reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, hold("r-2", line("sms", 11)), ReservationKind.HOLD, f.now()));
    assertEquals(Map.of("sms", -40L), r.extras().get("available"));
    f.reserve(hold("r-2", line("sms", 10)));
    f.assertAudit("sms", 20, 0, -50, 70, 0, 0);
    assertEquals(0, f.state.spendable("sms"));
    f.reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, WalletFixture.partial("r-3", line("sms", 1)), ReservationKind.HOLD, f.now()));
    // Releasing overdraft credits gives the room back.
    f.release("r-2");
    f.assertAudit("sms", 20, 0, -40, 60, 0, 0);
    f.commit("r-1");
    f.assertAudit("sms", 20, 0, -40, 0, 60, 0);
    assertEquals(40, f.state.totals("sms").overdraftDebt());
    // Categories without an overdraft never go below zero.
    f.grant("e", "email", 5);
    f.reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, hold("r-4", line("email", 6)), ReservationKind.HOLD, f.now()));
  }

  @Test
  void aLaterGrantRepaysCommittedOverdraftFirst() {
    WalletFixture f = WalletFixture.withOverdraft(Map.of("sms", 50L));
    f.debit(hold("d-1", line("sms", 30)));
    f.assertAudit("sms", 0, 0, -30, 0, 30, 0);
    GrantIssued small = f.only(GrantIssued.class, f.grant("g-1", "sms", 10));
    assertEquals(10, small.repaidOverdraft());
    assertEquals(0, small.toGrant().remaining());
    assertEquals(Map.of("sms", -20L), small.balances());
    f.assertAudit("sms", 10, 0, -20, 0, 30, 0);
    GrantIssued big = f.only(GrantIssued.class, f.grant("g-2", "sms", 100));
    assertEquals(20, big.repaidOverdraft());
    assertEquals(80, big.toGrant().remaining());
    f.assertAudit("sms", 110, 0, 80, 0, 30, 0);
    assertEquals(0, f.state.totals("sms").overdraftDebt());
    // Overdraft that is only held is not debt: a grant does not repay it.
    f.grant("g-3", "sms", 0 + 1);
    f.reserve(hold("r-1", line("sms", 100)));
    f.assertAudit("sms", 111, 0, -19, 100, 30, 0);
    GrantIssued g4 = f.only(GrantIssued.class, f.grant("g-4", "sms", 5));
    assertEquals(0, g4.repaidOverdraft());
    f.assertAudit("sms", 116, 0, -14, 100, 30, 0);
  }

  @Test
  void refundOfOverdraftPaysTheDebtOrCreditsTheCustomerOnceRepaid() {
    WalletFixture f = WalletFixture.withOverdraft(Map.of("sms", 50L));
    f.grant("g", "sms", 10);
    f.debit(hold("d-1", line("sms", 30)));
    f.assertAudit("sms", 10, 0, -20, 0, 30, 0);
    // While the debt is open, a refund of overdraft credits pays it back.
    var first = f.only(WalletEvent.CreditsRefunded.class, f.refund("d-1", WalletFixture.refundReq("f-1", line("sms", 5))));
    assertEquals(List.of(new Draw(Draw.OVERDRAFT, "sms", 5)), first.refunded());
    assertEquals(List.of(), first.creditedGrants());
    f.assertAudit("sms", 10, 5, -15, 0, 30, 0);
    // A grant repays the rest of the debt; a later refund of overdraft credits is the customer's.
    f.grant("g-2", "sms", 15);
    f.assertAudit("sms", 25, 5, 0, 0, 30, 0);
    var second = f.only(WalletEvent.CreditsRefunded.class, f.refund("d-1", WalletFixture.refundReq("f-2", line("sms", 20))));
    assertEquals(List.of(new Draw(Draw.OVERDRAFT, "sms", 15), new Draw("g", "sms", 5)), second.refunded());
    assertEquals(1, second.creditedGrants().size());
    Draw credited = second.creditedGrants().get(0);
    assertEquals(15, credited.amount());
    assertEquals("sms", credited.category());
    assertEquals(GrantSource.ADJUSTMENT, f.grantOf(credited.grantId()).source());
    assertEquals(15, f.grantOf(credited.grantId()).amount());
    assertEquals(15, f.remaining(credited.grantId()));
    f.assertAudit("sms", 25, 25, 20, 0, 30, 0);
    // The credited grant is spendable like any other.
    f.debit(hold("d-2", line("sms", 20)));
    f.assertAudit("sms", 25, 25, 0, 0, 50, 0);
  }

  @Test
  void refundOfOverdraftInTwoCategoriesSettlesEachCategorysDebt() {
    WalletFixture f = WalletFixture.withOverdraft(Map.of("sms", 10L, "email", 10L));
    f.debit(hold("d-1", line("sms", 5), line("email", 5)));
    f.grant("g-sms", "sms", 100); // repays the sms debt only
    f.assertAudit("sms", 100, 0, 95, 0, 5, 0);
    f.assertAudit("email", 0, 0, -5, 0, 5, 0);
    var e = f.only(WalletEvent.CreditsRefunded.class,
        f.refund("d-1", WalletFixture.refundReq("f-1", line("sms", 5), line("email", 5))));
    // sms: its debt was repaid, so its 5 come back as a credited grant; email: pays its debt.
    assertEquals(List.of("sms"), e.creditedGrants().stream().map(Draw::category).toList());
    assertEquals(Map.of("sms", 100L, "email", 0L), e.balances());
    f.assertAudit("sms", 100, 5, 100, 0, 5, 0);
    f.assertAudit("email", 0, 5, 0, 0, 5, 0);
    assertEquals(0, f.state.totals("email").overdraftDebt());
  }

  @Test
  void refundOfOverdraftInTwoCategoriesAfterBothDebtsWereRepaid() {
    WalletFixture f = WalletFixture.withOverdraft(Map.of("sms", 10L, "email", 10L));
    f.debit(hold("d-1", line("sms", 5), line("email", 3)));
    f.grant("g-sms", "sms", 100);
    f.grant("g-email", "email", 100);
    var e = f.only(WalletEvent.CreditsRefunded.class,
        f.refund("d-1", WalletFixture.refundReq("f-1", line("sms", 5), line("email", 3))));
    List<Draw> credited = e.creditedGrants();
    assertEquals(2, credited.size(), "one credited grant per category");
    assertEquals(Map.of("email", 3L, "sms", 5L),
        credited.stream().collect(java.util.stream.Collectors.toMap(Draw::category, Draw::amount)));
    assertEquals(2, credited.stream().map(Draw::grantId).distinct().count());
    credited.forEach(g -> assertEquals(g.amount(), f.remaining(g.grantId())));
    f.assertAudit("sms", 100, 5, 100, 0, 5, 0);
    f.assertAudit("email", 100, 3, 100, 0, 3, 0);
  }

  @Test
  void auditReportsEveryCategory() {
    WalletFixture f = WalletFixture.create();
    f.grant("s", "sms", 10);
    f.grant("e", "email", 10);
    assertEquals(List.of("email", "sms"), List.copyOf(WalletViews.audit(f.state).categories().keySet()));
  }
}
