package com.creditwallet.wallet;

import static com.creditwallet.wallet.WalletAssertions.assertSameWallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.DeadlineRules;
import com.creditwallet.wallet.domain.Decision;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantRules;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.PlanRules;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Reservation;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationRecord;
import com.creditwallet.wallet.domain.ReservationRules;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.SubBudgetRules;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletRules;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What crosses nodes and reaches the journal, through Pekko serialization exactly as configured
 * by the module (reference.conf bindings): the wallet's typed answers ({@link Outcome}, batch
 * results), rejections in a StatusReply (as the plan registry still sends them), events,
 * snapshots, and the archive's payload.
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
    assertEquals(sent.detail(), r.detail());
    assertEquals(sent.extras(), r.extras());
    assertEquals(sent.getMessage(), r.getMessage());
    return r;
  }

  /** The wallet answers with an Outcome; the plan registry still sends rejections in StatusReply.error. */
  @Test
  void aRejectionSurvivesTheTripInsideAStatusReply() {
    assertEquals("pekko-misc", serializerName(new Rejection("X", "d", Map.of())),
        "rejections are sent as class name + message, never through Jackson");
    roundTripError(Rejection.invalid("lines[0].amount", "must be an integer from 1 to 10^12"));
    roundTripError(Rejection.walletNotFound("w-1"));
    roundTripError(new Rejection(Rejection.RESERVATION_EXPIRED, "reservation r-1 expired", Map.of()));
    Rejection insufficient = roundTripError(new Rejection(
        Rejection.INSUFFICIENT_CREDITS, "not enough credits for this reservation",
        Map.of("available", Map.of("sms", 100L, "email", -5L))));
    assertEquals(Map.of("sms", 100L, "email", -5L), insufficient.extras().get("available"));
    Rejection topup = roundTripError(new Rejection(
        Rejection.TOPUP_OUT_OF_BOUNDS, "a top-up must be between 100 and 100000 credits",
        Map.of("field", "amount", "min", 100L, "max", 100_000L)));
    assertEquals(100_000L, topup.extras().get("max"));
    roundTripError(new Rejection("INVALID_REQUEST", "quotes \" and \\ and unicode \u00e8\u20ac and\nnewline", Map.of()));
    // The rule's own refusals, exactly as produced.
    Rejection fromRule = assertThrows(Rejection.class, () -> ReservationRules.reserve(
        walletWith10Sms(), new ReserveRequest("r", List.of(new Line("sms", 11)), null, 60, false, null),
        ReservationKind.HOLD, Instant.EPOCH));
    assertEquals(Map.of("sms", 10L), roundTripError(fromRule).extras().get("available"));
  }

  /** A decision on a wallet with a grant of 10 sms credits. */
  private static Decision walletWith10Sms() {
    Decision d = new Decision(WalletState.EMPTY, WalletPolicy.DEFAULTS);
    WalletRules.configure(d, new WalletSettings.SettingsUpdate(null, null, null, null), Instant.EPOCH);
    GrantRules.issueGrant(d, new GrantRequest("g", "sms", 10, GrantSource.PROMO, null, null, null, 0, false), Instant.EPOCH);
    return new Decision(d.state(), WalletPolicy.DEFAULTS);
  }

  private static String serializerName(Object o) {
    Serializer s = serialization.findSerializerFor(o);
    return s.getClass().getSimpleName().equals("MiscMessageSerializer") ? "pekko-misc" : s.getClass().getName();
  }

  private static String serializerClass(Object o) {
    return serialization.findSerializerFor(o).getClass().getSimpleName();
  }

  /** An Outcome through the configured serializer: Jackson CBOR, and back equal. */
  private static <T> Outcome<T> roundTripOutcome(Outcome<T> sent) {
    assertEquals("JacksonCborSerializer", serializerClass(sent), "an Outcome is CborSerializable");
    Object back = roundTrip(sent);
    assertEquals(sent, back);
    @SuppressWarnings("unchecked")
    Outcome<T> received = (Outcome<T>) back;
    return received;
  }

  @Test
  void acceptedOutcomesSurviveTheTripWithTheirValuesType() {
    Scenario sc = scenario();
    WalletState s = sc.state;
    for (String id : List.of("r-held", "r-done", "d-1", "op-1")) {
      WalletViews.ReservationView view = WalletViews.reservation(s.reservation(id).orElseThrow());
      Outcome<WalletViews.ReservationView> back = roundTripOutcome(Outcome.accepted(view));
      assertInstanceOf(WalletViews.ReservationView.class, back.value());
      assertTrue(back.isAccepted());
    }
    // The answers "as of" a step, as replays send them.
    roundTripOutcome(Outcome.accepted(WalletViews.asReserved(s.reservation("r-done").orElseThrow())));
    roundTripOutcome(Outcome.accepted(WalletViews.asRefunded(s.reservation("r-done").orElseThrow(), "f-1")));
    WalletViews.WalletView wallet = WalletViews.wallet("w-1", s);
    Outcome<WalletViews.WalletView> w = roundTripOutcome(Outcome.accepted(wallet));
    assertInstanceOf(WalletViews.WalletView.class, w.value());
    assertEquals(wallet, w.value());
    roundTripOutcome(Outcome.accepted(new WalletViews.Configured(true, wallet)));
    roundTripOutcome(Outcome.accepted(WalletViews.audit(s)));
    roundTripOutcome(Outcome.accepted(WalletViews.grant(s.grant("g-push").orElseThrow())));
    roundTripOutcome(Outcome.accepted(WalletViews.subBudget(s.subBudget("list-7").orElseThrow())));
    roundTripOutcome(Outcome.accepted(ReservationRules.estimate(s, List.of(new Line("sms", 5)), null, null, null)));
  }

  /**
   * A rejected Outcome through the configured serializer (Jackson CBOR): back equal, and the
   * rejection the gateway rebuilds from it ({@code Rejection.of}) is the one sent, down to the
   * JSON it renders.
   */
  private static Rejection roundTripRejected(Rejection sent) {
    Outcome<WalletViews.ReservationView> back = roundTripOutcome(Outcome.rejected(sent.body()));
    assertTrue(!back.isAccepted());
    assertEquals(null, back.value());
    Rejection received = Rejection.of(back.rejected());
    assertEquals(sent.code(), received.code());
    assertEquals(sent.detail(), received.detail());
    assertEquals(sent.extras(), received.extras());
    assertEquals(sent.getMessage(), received.getMessage(), "the JSON of all its fields");
    return received;
  }

  @Test
  void rejectedOutcomesSurviveTheTrip() {
    roundTripRejected(Rejection.invalid("lines[0].amount", "must be an integer from 1 to 10^12"));
    roundTripRejected(Rejection.walletNotFound("w-1"));
    roundTripRejected(new Rejection(Rejection.RESERVATION_EXPIRED, "reservation r-1 expired", Map.of()));
    Rejection topup = roundTripRejected(new Rejection(Rejection.TOPUP_OUT_OF_BOUNDS, "out of bounds",
        Map.of("field", "amount", "min", 100L, "max", 100_000L)));
    assertEquals(100_000L, topup.extras().get("max"), "whole numbers stay longs");
    roundTripRejected(new Rejection("INVALID_REQUEST", "quotes \" and \\ and unicode \u00e8\u20ac and\nnewline", Map.of()));
    // Nested extras, as the rules produce them, stay Java maps of longs: the gateway renders them
    // as JSON objects (Pekko's Jackson has the Scala module, which would make them Scala collections).
    Rejection fromRule = assertThrows(Rejection.class, () -> ReservationRules.reserve(
        walletWith10Sms(), new ReserveRequest("r", List.of(new Line("sms", 11)), null, 60, false, null),
        ReservationKind.HOLD, Instant.EPOCH));
    Rejection back = roundTripRejected(fromRule);
    assertEquals(Map.of("sms", 10L), back.extras().get("available"));
    assertInstanceOf(Map.class, back.extras().get("available"));
    Rejection refundable = roundTripRejected(new Rejection(Rejection.REFUND_EXCEEDS_COMMITTED, "too much",
        Map.of("refundable", Map.of("sms", 0L, "email", 3L))));
    assertEquals(Map.of("sms", 0L, "email", 3L), refundable.extras().get("refundable"));
  }

  @Test
  void batchResultsSurviveTheTrip() {
    WalletState s = scenario().state;
    WalletEntity.BatchResults results = new WalletEntity.BatchResults(List.of(
        new WalletEntity.BatchResult(WalletViews.reservation(s.reservation("r-done").orElseThrow()), null),
        new WalletEntity.BatchResult(WalletViews.asCommitted(s.reservation("d-1").orElseThrow()), null),
        new WalletEntity.BatchResult(null, Rejection.invalid("lines", "must not be empty").body()),
        new WalletEntity.BatchResult(null, Rejection.reservationNotFound("nope").body()),
        new WalletEntity.BatchResult(null, new Rejection(Rejection.INSUFFICIENT_CREDITS, "short",
            Map.of("available", Map.of("sms", -5L))).body())));
    assertEquals("JacksonCborSerializer", serializerClass(results));
    assertEquals(results, roundTrip(results));
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
    Instant later = sc.now.plus(Duration.ofDays(30));
    Decision due = new Decision(snapshot, sc.policy);
    Decision dueLive = new Decision(sc.state, sc.policy);
    assertTrue(DeadlineRules.applyDue(due, later));
    assertTrue(DeadlineRules.applyDue(dueLive, later));
    assertEquals(dueLive.events(), due.events());
    assertTrue(due.events().stream().anyMatch(e -> e instanceof WalletEvent.ReservationReleased rr
        && rr.reservationId().equals("r-held") && rr.ttlExpired()), due.events()::toString);
    assertTrue(due.events().stream().anyMatch(e -> e instanceof WalletEvent.GrantExpired), due.events()::toString);
    // And so does it know what to archive and to forget.
    assertEquals(sc.state.nextDeadline(sc.policy), snapshot.nextDeadline(sc.policy));
    assertEquals(sc.state.archivable(later, sc.policy, 500), snapshot.archivable(later, sc.policy, 500));
    assertEquals(sc.state.recentCount(), snapshot.recentCount());
  }

  /**
   * Snapshots of wallets with many holds are compressed with LZ4 (far less CPU than gzip, whose
   * bursts on large snapshots showed in the tail latency of every call), and a snapshot a node
   * wrote with gzip before the switch still reads back.
   */
  @Test
  void largeStatesAreCompressedWithLz4AndGzipSnapshotsStillRead() {
    WalletState state = walletWithHolds(2_000);
    assertEquals(2_000, state.reservations().size());
    byte[] lz4 = serialization.findSerializerFor(state).toBinary(state);
    // Pekko's LZ4 frame starts with its magic number, 0x87D96DF6.
    assertTrue(lz4.length > 8 && (lz4[0] & 0xff) == 0x87 && (lz4[1] & 0xff) == 0xD9 && (lz4[2] & 0xff) == 0x6D
        && (lz4[3] & 0xff) == 0xF6, "a large state is written with LZ4");
    assertSameWallet(state, (WalletState) roundTrip(state));

    ActorTestKit gzipNode = ActorTestKit.create("GzipNode", ConfigFactory.parseString(
        "pekko.serialization.jackson.jackson-cbor.compression.algorithm = gzip").withFallback(ConfigFactory.load()));
    try {
      Serializer old = SerializationExtension.get(Adapter.toClassic(gzipNode.system())).findSerializerFor(state);
      byte[] gzip = old.toBinary(state);
      assertTrue((gzip[0] & 0xff) == 0x1f && (gzip[1] & 0xff) == 0x8b, "the old node writes gzip");
      Object back = serialization.deserialize(gzip, old.identifier(), Serializers.manifestFor(old, state)).get();
      assertSameWallet(state, (WalletState) back);
    } finally {
      gzipNode.shutdownTestKit();
    }
  }

  /**
   * An open hold read back from a snapshot costs no more heap than the live one: its id, its lines
   * and the names in its draws are shared, not copies (each copy is tens of bytes per hold, on
   * wallets with hundreds of thousands of holds), and an unrefunded hold has no refund map of its own.
   */
  @Test
  void holdsReadFromASnapshotShareTheirIdsLinesAndNames() {
    WalletState state = (WalletState) roundTrip(walletWithHolds(3));
    Reservation first = state.reservations().get("r-0");
    Reservation second = state.reservations().get("r-1");
    for (Map.Entry<String, Reservation> e : state.reservations().entrySet()) {
      Reservation r = e.getValue();
      assertSame(r.reservationId(), e.getKey(), "the map's key is the reservation's own id");
      assertSame(r.reservationId(), r.request().id());
      assertSame(r.lines(), r.request().lines(), "the lines asked for are the lines held");
      assertSame(java.util.Collections.emptySortedMap(), r.refunds());
    }
    assertSame(first.draws().get(0).grantId(), second.draws().get(0).grantId());
    assertSame(first.draws().get(0).category(), second.lines().get(0).category());
  }

  /**
   * A wallet's estimate of its size in CBOR is close enough that WalletCborSerializer's one array
   * is allocated once and not far larger than needed.
   */
  @Test
  void aWalletsSizeEstimateIsNearItsCbor() throws Exception {
    for (int holds : new int[] {1_000, 20_000}) {
      WalletState state = walletWithHolds(holds);
      ObjectMapper cbor = JacksonObjectMapperProvider.get(Adapter.toClassic(testKit.system()))
          .getOrCreate("jackson-cbor", Optional.empty());
      long actual = cbor.writeValueAsBytes(state).length;
      long estimate = state.estimatedCborBytes();
      assertTrue(estimate + estimate / 8 >= actual && estimate <= 1.5 * actual,
          () -> holds + " holds: estimate " + estimate + " bytes, actual " + actual);
    }
  }

  /** One grant and {@code holds} one-credit holds, as a hot wallet under single reservations. */
  static WalletState walletWithHolds(int holds) {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    WalletPolicy policy = new WalletPolicy(100, 100_000, Duration.ofDays(35)).withLimits(Math.max(holds, 100_000), 200);
    Decision d = new Decision(WalletState.EMPTY, policy);
    GrantRules.issueGrant(d, new GrantRequest("g-1", "sms", 1_000_000_000L, GrantSource.PACKAGE, null, null, null, 0, false), now);
    WalletState state = d.state();
    for (int i = 0; i < holds; i++) {
      Decision next = new Decision(state, policy);
      ReservationRules.reserve(next, new ReserveRequest("r-" + i, List.of(new Line("sms", 1)), null, 900, false, null),
          ReservationKind.HOLD, now.plusMillis(i));
      state = next.state();
    }
    return state;
  }

  @Test
  void theArchivesPayloadKeepsAReservationWhole() {
    Scenario sc = scenario();
    for (Reservation r : sc.state.reservations().values()) {
      ReservationRecord record = ReservationRecord.of(r);
      ReservationRecord back = ReservationCodec.decode(ReservationCodec.encode(record));
      assertEquals(record, back);
      assertEquals(r, back.toReservation(), () -> "reservation " + r.reservationId());
    }
    for (Reservation r : sc.archive.values()) assertEquals(r, ReservationCodec.decode(ReservationCodec.encode(ReservationRecord.of(r))).toReservation());
  }

  /** A wallet that has seen every kind of event, with a hold still pending. */
  static final class Scenario {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    /** A retention of two days, so spent grants are forgotten within the scenario. */
    final WalletPolicy policy = new WalletPolicy(100, 100_000, Duration.ofDays(2));
    WalletState state = WalletState.EMPTY;
    final List<WalletEvent> journal = new ArrayList<>();
    /** The reservation archive, as the entity keeps it. */
    final Map<String, Reservation> archive = new TreeMap<>();

    /** As the entity: what is due, then the rule, with what the archive has. */
    void run(Function<Decision, List<WalletEvent>> rule) {
      Decision d = new Decision(state, policy).withArchived(archive);
      assertTrue(DeadlineRules.applyDue(d, now));
      rule.apply(d);
      journal.addAll(d.events());
      state = d.state();
    }

    /** As the entity: writes what is due to the archive, then persists ReservationsArchived. */
    void archiveDue() {
      Map<String, Integer> revisions = new TreeMap<>();
      for (Reservation r : state.archivable(now, policy, 500)) {
        archive.put(r.reservationId(), ReservationRecord.of(r).toReservation());
        revisions.put(r.reservationId(), r.revision());
      }
      if (!revisions.isEmpty()) run(d -> List.of(d.emit(new WalletEvent.ReservationsArchived(now, revisions, Map.of()))));
    }
  }

  static Scenario scenario() {
    Scenario sc = new Scenario();
    Instant t0 = sc.now;
    sc.run(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(
        "Europe/Rome", ConsumptionOrder.NON_EXPIRING_FIRST, Map.of("sms", 100L), Map.of("push", 50L)), sc.now));
    sc.run(s -> GrantRules.issueGrant(s, new GrantRequest("g-soon", "sms", 100, GrantSource.PROMO, t0.plusSeconds(3600), null, null, 0, false), sc.now));
    sc.run(s -> GrantRules.issueGrant(s, new GrantRequest("g-day", "sms", 300, GrantSource.PACKAGE, null, LocalDate.parse("2026-12-31"), null, 1, false), sc.now));
    sc.run(s -> GrantRules.issueGrant(s, new GrantRequest("g-pkg", "sms", 200, GrantSource.PACKAGE, null, null, "P2Y", 0, true), sc.now));
    sc.run(s -> GrantRules.issueGrant(s, new GrantRequest("t-1", "email", 500, GrantSource.TOPUP, null, null, null, 0, false), sc.now));
    // A trial plan with daily cycles: plan grants, trial credits, cycle resets with rollover, trial end.
    Plan trial = new Plan("trial", Map.of("campaign", 100L), List.of("flow"), "P1D", Map.of("campaign", 10L),
        new Plan.Trial("PT1H", Map.of("campaign", 5L)), Map.of("apiAccess", false));
    sc.run(s -> PlanRules.subscribe(s, trial, sc.now));
    // Early reservations that will be archived, and a hold pinning credits of a grant that expires.
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("r-old", List.of(new Line("email", 1)), null, 600, false, null), ReservationKind.HOLD, sc.now));
    sc.run(s -> ReservationRules.commit(s, "r-old", null, sc.now));
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("r-gone", List.of(new Line("email", 1)), null, 60, false, null), ReservationKind.HOLD, sc.now));
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("r-rel", List.of(new Line("email", 1)), null, 60, true, null), ReservationKind.HOLD, sc.now));
    sc.run(s -> ReservationRules.release(s, "r-rel", sc.now));
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("r-held", List.of(new Line("sms", 10)), null, 7 * 24 * 3600, false, null), ReservationKind.HOLD, sc.now));
    sc.now = t0.plus(Duration.ofHours(73)); // r-gone expires, g-soon expires, spent plan grants are forgotten
    sc.run(s -> List.of());
    sc.archiveDue(); // the early ones leave memory
    // A late refund of an archived reservation brings it back (ReservationRestored).
    sc.run(s -> ReservationRules.refund(s, "r-old", new RefundRequest("f-late", List.of(new Line("email", 1)), "BOUNCE"), sc.now));
    Plan paid = new Plan("silver", Map.of("campaign", 1000L), List.of("flow"), "P1M", Map.of(), null, Map.of());
    sc.run(s -> PlanRules.subscribe(s, paid, sc.now));
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("d-flow", List.of(new Line("flow", 7)), null, 0, false, null), ReservationKind.DEBIT, sc.now));
    // Sub-budgets: one with an allocation that a later expiry cuts, one spending from the pool.
    sc.run(s -> SubBudgetRules.configureSubBudget(s, "list-7", Map.of("sms", 200L), sc.now));
    sc.run(s -> SubBudgetRules.configureSubBudget(s, "list-8", Map.of(), sc.now));
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("r-done", List.of(new Line("sms", 150), new Line("email", 5)), "list-7", 600, false, "campaign-1"), ReservationKind.HOLD, sc.now));
    sc.run(s -> ReservationRules.commit(s, "r-done", List.of(new Line("sms", 120), new Line("email", 4)), sc.now));
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("d-1", List.of(new Line("push", 30)), null, 0, false, null), ReservationKind.DEBIT, sc.now));
    sc.run(s -> GrantRules.issueGrant(s, new GrantRequest("g-push", "push", 100, GrantSource.ADJUSTMENT, null, null, null, 0, false), sc.now));
    sc.run(s -> ReservationRules.refund(s, "d-1", new RefundRequest("f-od", List.of(new Line("push", 10)), "BOUNCE"), sc.now));
    sc.run(s -> ReservationRules.refund(s, "r-done", new RefundRequest("f-1", List.of(new Line("sms", 20), new Line("email", 1)), "BOUNCE"), sc.now));
    // The operation form, then an expiry large enough to cut list-7's allocation.
    sc.run(s -> ReservationRules.reserve(s, new ReserveRequest("op-1", List.of(), "postman", 2L, "APP_EMAIL", "list-8", 600, true, null),
        Map.of("email", 2L), ReservationKind.HOLD, sc.now));
    Instant brief = sc.now.plusSeconds(3600);
    sc.run(s -> GrantRules.issueGrant(s, new GrantRequest("g-brief", "sms", 500, GrantSource.PROMO, brief, null, null, 0, false), sc.now));
    sc.run(s -> SubBudgetRules.configureSubBudget(s, "list-7", Map.of("sms", 800L), sc.now));
    sc.now = brief.plusSeconds(1); // g-brief expires beyond the pool: AllocationsReduced
    sc.run(s -> List.of());
    return sc;
  }
}
