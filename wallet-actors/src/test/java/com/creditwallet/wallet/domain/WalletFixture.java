package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.creditwallet.wallet.ManualClock;
import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.CategoryAudit;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives the pure rules the way the entity does: every step first applies the deadlines already
 * due, then the rule, then settles the drafts into the state. Every step checks the audit.
 */
final class WalletFixture {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  WalletPolicy policy = WalletPolicy.DEFAULTS;
  WalletState state = WalletState.EMPTY;
  /** Every event so far, in order: the journal. */
  final List<WalletEvent> journal = new ArrayList<>();
  /** The events of the last step (due deadlines included). */
  List<WalletEvent> last = List.of();

  static WalletFixture create() {
    return create(new WalletSettings.SettingsUpdate(null, null, null, null));
  }

  static WalletFixture create(WalletSettings.SettingsUpdate settings) {
    WalletFixture f = new WalletFixture();
    f.step(s -> WalletRules.configure(s, settings, f.now()));
    return f;
  }

  static WalletFixture create(ConsumptionOrder order) {
    return create(new WalletSettings.SettingsUpdate(null, order, null, null));
  }

  static WalletFixture withOverdraft(Map<String, Long> overdraft) {
    return create(new WalletSettings.SettingsUpdate(null, null, null, overdraft));
  }

  Instant now() {
    return clock.instant();
  }

  // ---- running rules ------------------------------------------------------------------------

  /** Due deadlines, then the rule; returns the events of the rule only. */
  List<WalletEvent> step(Function<Decision, List<WalletEvent>> rule) {
    Decision d = new Decision(state, policy);
    DeadlineRules.applyDue(d, now());
    int mark = d.size();
    rule.apply(d);
    commitStep(d.events(), d.state());
    return d.eventsSince(mark);
  }

  /** Applies what is due now (what a timer WakeUp does). */
  List<WalletEvent> tick() {
    Decision d = new Decision(state, policy);
    DeadlineRules.applyDue(d, now());
    commitStep(d.events(), d.state());
    return d.events();
  }

  List<WalletEvent> advance(Duration d) {
    clock.advance(d);
    return tick();
  }

  private void commitStep(List<WalletEvent> events, WalletState next) {
    journal.addAll(events);
    last = List.copyOf(events);
    state = next;
    assertConsistent();
  }

  /**
   * Runs a rule that must be refused: checks the code, that the rule emitted nothing before
   * refusing, and that the refusal changes nothing (the due deadlines before it still apply, as in
   * the entity).
   */
  Rejection reject(String code, Function<Decision, List<WalletEvent>> rule) {
    tick();
    WalletState before = state;
    AuditReport auditBefore = WalletViews.audit(before);
    Decision d = new Decision(before, policy);
    Rejection r = assertThrows(Rejection.class, () -> rule.apply(d));
    assertEquals(code, r.code(), () -> "code of " + r.getMessage());
    assertEquals(0, d.size(), "a rule refuses before it emits anything");
    assertEquals(auditBefore, WalletViews.audit(state), "a rejection changes nothing");
    return r;
  }

  // ---- shortcuts ----------------------------------------------------------------------------

  static GrantRequest grantReq(String id, String category, long amount) {
    return new GrantRequest(id, category, amount, GrantSource.PROMO, null, null, null, 0, false);
  }

  static GrantRequest grantReq(String id, String category, long amount, Instant expiresAt) {
    return new GrantRequest(id, category, amount, GrantSource.PROMO, expiresAt, null, null, 0, false);
  }

  static GrantRequest grantReq(
      String id, String category, long amount, GrantSource source, Instant expiresAt, int priority) {
    return new GrantRequest(id, category, amount, source, expiresAt, null, null, priority, false);
  }

  static GrantRequest grantOn(String id, String category, long amount, GrantSource source, LocalDate day) {
    return new GrantRequest(id, category, amount, source, null, day, null, 0, false);
  }

  static GrantRequest grantFor(String id, String category, long amount, GrantSource source, String validFor, boolean extend) {
    return new GrantRequest(id, category, amount, source, null, null, validFor, 0, extend);
  }

  static Line line(String category, long amount) {
    return new Line(category, amount);
  }

  static List<Line> lines(Line... lines) {
    return Arrays.asList(lines);
  }

  static ReserveRequest hold(String id, Line... lines) {
    return new ReserveRequest(id, List.of(lines), null, Validation.DEFAULT_TTL_SECONDS, false, null);
  }

  static ReserveRequest hold(String id, long ttlSeconds, Line... lines) {
    return new ReserveRequest(id, List.of(lines), null, ttlSeconds, false, null);
  }

  static ReserveRequest partial(String id, Line line) {
    return new ReserveRequest(id, List.of(line), null, Validation.DEFAULT_TTL_SECONDS, true, null);
  }

  static RefundRequest refundReq(String refundId, Line... lines) {
    return new RefundRequest(refundId, List.of(lines), "BOUNCE");
  }

  List<WalletEvent> grant(GrantRequest r) {
    return step(s -> GrantRules.issueGrant(s, r, now()));
  }

  List<WalletEvent> grant(String id, String category, long amount) {
    return grant(grantReq(id, category, amount));
  }

  List<WalletEvent> grant(String id, String category, long amount, Instant expiresAt) {
    return grant(grantReq(id, category, amount, expiresAt));
  }

  List<WalletEvent> reserve(ReserveRequest r) {
    return step(s -> ReservationRules.reserve(s, r, ReservationKind.HOLD, now()));
  }

  List<WalletEvent> debit(ReserveRequest r) {
    return step(s -> ReservationRules.reserve(s, r, ReservationKind.DEBIT, now()));
  }

  List<WalletEvent> commit(String id) {
    return step(s -> ReservationRules.commit(s, id, null, now()));
  }

  List<WalletEvent> commit(String id, Line... lines) {
    return step(s -> ReservationRules.commit(s, id, List.of(lines), now()));
  }

  List<WalletEvent> release(String id) {
    return step(s -> ReservationRules.release(s, id, now()));
  }

  List<WalletEvent> refund(String id, RefundRequest r) {
    return step(s -> ReservationRules.refund(s, id, r, now()));
  }

  // ---- reading ------------------------------------------------------------------------------

  Grant grantOf(String id) {
    return state.grant(id).orElseThrow(() -> new AssertionError("no grant " + id));
  }

  long remaining(String grantId) {
    return grantOf(grantId).remaining();
  }

  Reservation reservation(String id) {
    return state.reservation(id).orElseThrow(() -> new AssertionError("no reservation " + id));
  }

  <E extends WalletEvent> E only(Class<E> type, List<WalletEvent> events) {
    assertEquals(1, events.size(), () -> "expected one event, got " + events);
    assertTrue(type.isInstance(events.get(0)), () -> "expected " + type.getSimpleName() + ", got " + events);
    return type.cast(events.get(0));
  }

  /** Asserts the audit line of a category: granted, refunded, available, held, committed, expired. */
  void assertAudit(
      String category, long granted, long refunded, long available, long held, long committed, long expired) {
    CategoryAudit a = WalletViews.audit(state).categories().get(category);
    if (a == null) fail("no audit line for " + category);
    assertEquals(
        List.of(granted, refunded, available, held, committed, expired),
        List.of(a.granted(), a.refunded(), a.available(), a.held(), a.committed(), a.expired()),
        "audit of " + category + " [granted, refunded, available, held, committed, expired]");
  }

  void assertConsistent() {
    assertConsistent(state, "");
  }

  static void assertConsistent(WalletState s, String context) {
    AuditReport report = WalletViews.audit(s);
    assertTrue(report.consistent(), () -> "audit inconsistent " + context + ": " + report + " totals " + s.totals());
    // Without unlimited categories (no plan here), nothing is metered: the plain equation holds.
    report.categories().forEach((c, a) -> assertEquals(
        a.granted() + a.refunded(), a.available() + a.held() + a.committed() + a.expired(),
        () -> "audit equation of " + c + " " + context + ": " + a));
  }

  static Map<String, Long> draws(List<Draw> draws) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (Draw d : draws) out.merge(d.grantId(), d.amount(), Long::sum);
    return out;
  }
}
