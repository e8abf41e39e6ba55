package com.creditwallet.wallet;

import static com.creditwallet.wallet.WalletAssertions.assertSameWallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletRules;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What crosses nodes and reaches the journal, through Pekko serialization exactly as configured
 * by the module (reference.conf bindings): replies, rejections, events and snapshots.
 */
class WalletSerializationTest {
  static ActorTestKit testKit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("WalletSerializationTest", ConfigFactory.load());
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Serializes and deserializes the way remoting does: serializer id + manifest + bytes. */
  static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    byte[] bytes = serializer.toBinary(message);
    String manifest = Serializers.manifestFor(serializer, message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  static Rejection roundTripError(Rejection sent) {
    StatusReply<Object> reply = StatusReply.error(sent);
    Object back = roundTrip(reply);
    StatusReply<?> received = assertInstanceOf(StatusReply.class, back);
    assertTrue(received.isError());
    Rejection r = assertInstanceOf(Rejection.class, received.getError(), () -> "got " + received.getError());
    assertEquals(sent.code(), r.code());
    assertEquals(sent.status(), r.status());
    assertEquals(sent.detail(), r.detail());
    assertEquals(sent.extras(), r.extras());
    assertEquals(sent.getMessage(), r.getMessage());
    return r;
  }

  @Test
  void aRejectionSurvivesTheTripInsideAStatusReply() {
    assertEquals("pekko-misc", serializerName(new Rejection("X", 400, "d", Map.of())),
        "rejections are sent as class name + message, never through Jackson");
    roundTripError(Rejection.invalid("lines[0].amount", "must be an integer from 1 to 10^12"));
    roundTripError(Rejection.walletNotFound("w-1"));
    roundTripError(new Rejection(Rejection.RESERVATION_EXPIRED, 409, "reservation r-1 expired", Map.of()));
    Rejection insufficient = roundTripError(new Rejection(
        Rejection.INSUFFICIENT_CREDITS, 409, "not enough credits for this reservation",
        Map.of("available", Map.of("sms", 100L, "email", -5L))));
    assertEquals(Map.of("sms", 100L, "email", -5L), insufficient.extras().get("available"));
    Rejection topup = roundTripError(new Rejection(
        Rejection.TOPUP_OUT_OF_BOUNDS, 400, "a top-up must be between 100 and 100000 credits",
        Map.of("field", "amount", "min", 100L, "max", 100_000L)));
    assertEquals(100_000L, topup.extras().get("max"));
    roundTripError(new Rejection("INVALID_REQUEST", 400, "quotes \" and \\ and unicode \u00e8\u20ac and\nnewline", Map.of()));
    // The rule's own refusals, exactly as produced.
    WalletState s = WalletState.EMPTY.settle(WalletRules.configure(
        WalletState.EMPTY, new WalletSettings.SettingsUpdate(null, null, null, null), Instant.EPOCH)).state();
    s = s.settle(WalletRules.issueGrant(s, new GrantRequest("g", "sms", 10, GrantSource.PROMO, null, null, null, 0, false), Instant.EPOCH, WalletPolicy.DEFAULTS)).state();
    WalletState wallet = s;
    Rejection fromRule = org.junit.jupiter.api.Assertions.assertThrows(Rejection.class, () -> WalletRules.reserve(
        wallet, new ReserveRequest("r", List.of(new Line("sms", 11)), null, 60, false, null), ReservationKind.HOLD, Instant.EPOCH));
    assertEquals(Map.of("sms", 10L), roundTripError(fromRule).extras().get("available"));
  }

  private static String serializerName(Object o) {
    Serializer s = serialization.findSerializerFor(o);
    return s.getClass().getSimpleName().equals("MiscMessageSerializer") ? "pekko-misc" : s.getClass().getName();
  }

  @Test
  void successfulRepliesSurviveTheTrip() {
    WalletState s = scenario().state;
    for (String id : List.of("r-held", "r-done", "d-1")) {
      WalletViews.ReservationView view = WalletViews.reservation(s.reservation(id).orElseThrow());
      Object back = roundTrip(StatusReply.success(view));
      assertEquals(view, ((StatusReply<?>) back).getValue());
    }
    WalletViews.WalletView wallet = WalletViews.wallet("w-1", s);
    assertEquals(wallet, ((StatusReply<?>) roundTrip(StatusReply.success(wallet))).getValue());
    WalletViews.AuditReport audit = WalletViews.audit(s);
    assertEquals(audit, ((StatusReply<?>) roundTrip(StatusReply.success(audit))).getValue());
  }

  @Test
  void everyEventAndTheStateSurviveTheJournalAndTheSnapshotStore() {
    Scenario sc = scenario();
    java.util.Set<Class<?>> produced = new java.util.HashSet<>();
    sc.journal.forEach(e -> produced.add(e.getClass()));
    for (Class<?> kind : WalletEvent.class.getPermittedSubclasses()) {
      assertTrue(produced.contains(kind), () -> "the scenario should produce a " + kind.getSimpleName());
    }
    for (WalletEvent e : sc.journal) assertEquals(e, roundTrip(e), () -> "event " + e);
    WalletState replayed = WalletState.EMPTY;
    for (WalletEvent e : sc.journal) replayed = replayed.apply((WalletEvent) roundTrip(e));
    assertSameWallet(sc.state, replayed);
    WalletState snapshot = (WalletState) roundTrip(sc.state);
    assertSameWallet(sc.state, snapshot);
    // The restored snapshot still knows its deadlines: the hold and the grant expire on time.
    WalletState.Settled due = WalletRules.dueEvents(snapshot, sc.now.plus(Duration.ofDays(30)), WalletPolicy.DEFAULTS);
    WalletState.Settled dueLive = WalletRules.dueEvents(sc.state, sc.now.plus(Duration.ofDays(30)), WalletPolicy.DEFAULTS);
    assertEquals(dueLive.events(), due.events());
    assertTrue(due.events().size() >= 2, due.events()::toString);
  }

  /** A wallet that has seen every kind of event, with a hold still pending. */
  static final class Scenario {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    WalletState state = WalletState.EMPTY;
    final List<WalletEvent> journal = new ArrayList<>();

    void run(Function<WalletState, List<WalletEvent>> rule) {
      WalletState.Settled due = WalletRules.dueEvents(state, now, WalletPolicy.DEFAULTS);
      WalletState.Settled decided = due.state().settle(rule.apply(due.state()));
      journal.addAll(due.events());
      journal.addAll(decided.events());
      state = decided.state();
    }
  }

  static Scenario scenario() {
    Scenario sc = new Scenario();
    WalletPolicy p = WalletPolicy.DEFAULTS;
    Instant t0 = sc.now;
    sc.run(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(
        "Europe/Rome", ConsumptionOrder.NON_EXPIRING_FIRST, Map.of("sms", 100L), Map.of("push", 50L)), sc.now));
    sc.run(s -> WalletRules.issueGrant(s, new GrantRequest("g-soon", "sms", 100, GrantSource.PROMO, t0.plusSeconds(3600), null, null, 0, false), sc.now, p));
    sc.run(s -> WalletRules.issueGrant(s, new GrantRequest("g-day", "sms", 300, GrantSource.PACKAGE, null, LocalDate.parse("2026-12-31"), null, 1, false), sc.now, p));
    sc.run(s -> WalletRules.issueGrant(s, new GrantRequest("g-pkg", "sms", 200, GrantSource.PACKAGE, null, null, "P2Y", 0, true), sc.now, p));
    sc.run(s -> WalletRules.issueGrant(s, new GrantRequest("t-1", "email", 500, GrantSource.TOPUP, null, null, null, 0, false), sc.now, p));
    // A trial plan with daily cycles: plan grants, trial credits, cycle resets with rollover, trial end.
    Plan trial = new Plan("trial", Map.of("campaign", 100L), List.of("flow"), "P1D", Map.of("campaign", 10L),
        new Plan.Trial("PT1H", Map.of("campaign", 5L)), Map.of("apiAccess", false));
    sc.run(s -> WalletRules.subscribe(s, trial, sc.now));
    // Early reservations that will be pruned, and a hold pinning credits of a grant that expires.
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("r-old", List.of(new Line("email", 1)), null, 600, false, null), ReservationKind.HOLD, sc.now));
    sc.run(s -> WalletRules.commit(s, "r-old", null, sc.now));
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("r-gone", List.of(new Line("email", 1)), null, 60, false, null), ReservationKind.HOLD, sc.now));
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("r-rel", List.of(new Line("email", 1)), null, 60, true, null), ReservationKind.HOLD, sc.now));
    sc.run(s -> WalletRules.release(s, "r-rel", sc.now));
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("r-held", List.of(new Line("sms", 10)), null, 7 * 24 * 3600, false, null), ReservationKind.HOLD, sc.now));
    sc.now = t0.plus(Duration.ofHours(73)); // r-gone expires, g-soon expires, the early ones are pruned
    sc.run(s -> List.of());
    Plan paid = new Plan("silver", Map.of("campaign", 1000L), List.of("flow"), "P1M", Map.of(), null, Map.of());
    sc.run(s -> WalletRules.subscribe(s, paid, sc.now));
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("d-flow", List.of(new Line("flow", 7)), null, 0, false, null), ReservationKind.DEBIT, sc.now));
    // Sub-budgets: one with an allocation that a later expiry cuts, one spending from the pool.
    sc.run(s -> WalletRules.configureSubBudget(s, "list-7", Map.of("sms", 200L), sc.now));
    sc.run(s -> WalletRules.configureSubBudget(s, "list-8", Map.of(), sc.now));
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("r-done", List.of(new Line("sms", 150), new Line("email", 5)), "list-7", 600, false, "campaign-1"), ReservationKind.HOLD, sc.now));
    sc.run(s -> WalletRules.commit(s, "r-done", List.of(new Line("sms", 120), new Line("email", 4)), sc.now));
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("d-1", List.of(new Line("push", 30)), null, 0, false, null), ReservationKind.DEBIT, sc.now));
    sc.run(s -> WalletRules.issueGrant(s, new GrantRequest("g-push", "push", 100, GrantSource.ADJUSTMENT, null, null, null, 0, false), sc.now, p));
    sc.run(s -> WalletRules.refund(s, "d-1", new RefundRequest("f-od", List.of(new Line("push", 10)), "BOUNCE"), sc.now));
    sc.run(s -> WalletRules.refund(s, "r-done", new RefundRequest("f-1", List.of(new Line("sms", 20), new Line("email", 1)), "BOUNCE"), sc.now));
    // The operation form, then an expiry large enough to cut list-7's allocation.
    sc.run(s -> WalletRules.reserve(s, new ReserveRequest("op-1", List.of(), "postman", 2L, "APP_EMAIL", "list-8", 600, true, null),
        Map.of("email", 2L), ReservationKind.HOLD, sc.now));
    Instant brief = sc.now.plusSeconds(3600);
    sc.run(s -> WalletRules.issueGrant(s, new GrantRequest("g-brief", "sms", 500, GrantSource.PROMO, brief, null, null, 0, false), sc.now, p));
    sc.run(s -> WalletRules.configureSubBudget(s, "list-7", Map.of("sms", 800L), sc.now));
    sc.now = brief.plusSeconds(1); // g-brief expires beyond the pool: AllocationsReduced
    sc.run(s -> List.of());
    return sc;
  }
}
