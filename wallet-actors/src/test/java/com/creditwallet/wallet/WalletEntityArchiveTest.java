package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationStatus;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.ReservationRestored;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wallet's volume behaviour on the in-memory journal with an injected clock and an in-memory
 * archive: finished reservations leave memory for the archive after the recent window (only once
 * their row is written), and every command that names one (retry, commit, release, refund, read,
 * a new reserve reusing its id) reads the archive first and answers exactly as the first time.
 */
class WalletEntityArchiveTest {
  static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  static final Duration WINDOW = Duration.ofMinutes(10);

  static ActorTestKit testKit;

  ManualClock clock;
  InMemoryReservationArchive archive;
  EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletEntityArchiveTest", WalletEntityTest.CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newWallet() {
    clock = new ManualClock(T0);
    archive = new InMemoryReservationArchive();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create(
        "w-a", clock, WalletPolicy.DEFAULTS.withRecent(WINDOW, 1_000), 1000, WakeupIndex.NONE, archive));
    kit.clear();
    ok(kit.<Outcome<WalletViews.Configured>>runCommand(r ->
        new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), r)).reply());
    GrantView g = ok(kit.<Outcome<GrantView>>runCommand(r -> new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.PROMO, null, null, null, 0, false), r)).reply());
    assertEquals(100, g.remaining());
  }

  // ---- commands -----------------------------------------------------------------------------

  static ReserveRequest hold(String id, long amount) {
    return new ReserveRequest(id, List.of(new Line("sms", amount)), null, 900, false, "campaign-1");
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<ReservationView>> reserve(
      ReserveRequest r) {
    return kit.runCommand(replyTo -> new WalletEntity.Reserve(r, ReservationKind.HOLD, replyTo));
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<ReservationView>> commit(
      String id, List<Line> lines) {
    return kit.runCommand(replyTo -> new WalletEntity.Commit(id, lines, replyTo));
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<ReservationView>> release(String id) {
    return kit.runCommand(replyTo -> new WalletEntity.Release(id, replyTo));
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<ReservationView>> refund(
      String id, RefundRequest r) {
    return kit.runCommand(replyTo -> new WalletEntity.Refund(id, r, replyTo));
  }

  Outcome<ReservationView> get(String id) {
    return kit.<Outcome<ReservationView>>runCommand(replyTo -> new WalletEntity.GetReservation(id, replyTo)).reply();
  }

  long available() {
    return ok(kit.<Outcome<WalletViews.WalletView>>runCommand(WalletEntity.GetWallet::new).reply())
        .balances().get("sms").available();
  }

  boolean consistent() {
    return ok(kit.<Outcome<WalletViews.AuditReport>>runCommand(WalletEntity.GetAudit::new).reply()).consistent();
  }

  void wakeUp() {
    assertEquals(Done.getInstance(), kit.<Done>runCommand(WalletEntity.WakeUp::new).reply());
  }

  /** Polls the wallet's state until it satisfies {@code condition} (the archive write is asynchronous). */
  WalletState awaitState(Predicate<WalletState> condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      WalletState s = kit.getState();
      if (condition.test(s)) return s;
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
      Thread.onSpinWait();
    }
  }

  /** Reserves and commits r-1 (3 credits), then lets the recent window pass so it is archived. */
  ReservationView[] reserveCommitAndArchive() {
    ReservationView reserved = ok(reserve(hold("r-1", 3)).reply());
    ReservationView committed = ok(commit("r-1", null).reply());
    clock.advance(WINDOW.plusSeconds(1));
    wakeUp();
    awaitState(s -> s.reservation("r-1").isEmpty(), "r-1 archived");
    assertTrue(archive.rows("w-a").containsKey("r-1"), "the row is written before the reservation leaves memory");
    return new ReservationView[] {reserved, committed};
  }

  static <T> T ok(Outcome<T> o) {
    assertTrue(o.isAccepted(), () -> "expected success, got " + o.rejected());
    return o.value();
  }

  static void rejected(Outcome<?> o, String code) {
    assertFalse(o.isAccepted(), () -> "expected " + code + ", got " + o.value());
    assertEquals(code, o.rejected().code(), () -> o.rejected().detail());
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void aFinishedReservationStaysForTheWindowThenMovesToTheArchive() {
    ok(reserve(hold("r-1", 3)).reply());
    ok(commit("r-1", null).reply());
    clock.advance(WINDOW.minusSeconds(1));
    wakeUp();
    assertTrue(kit.getState().reservation("r-1").isPresent(), "still within the recent window");
    assertEquals(0, archive.storeCalls());

    clock.advance(Duration.ofSeconds(1));
    wakeUp();
    WalletState s = awaitState(x -> x.reservation("r-1").isEmpty(), "r-1 archived");
    assertEquals(1, s.archivedTotal());
    assertEquals(0, s.recentCount());
    assertTrue(consistent());
  }

  @Test
  void aRetryRightAtTheWindowsEdgeAnswersTheSameOnBothSides() {
    ReservationView first = ok(reserve(hold("r-1", 3)).reply());
    ok(commit("r-1", null).reply());
    clock.advance(WINDOW.minusMillis(1));
    var inMemory = reserve(hold("r-1", 3));
    assertTrue(inMemory.hasNoEvents());
    assertEquals(first, ok(inMemory.reply()), "the original HELD body, although it was committed since");

    clock.advance(Duration.ofMillis(1));
    wakeUp();
    awaitState(x -> x.reservation("r-1").isEmpty(), "r-1 archived");
    archive.resetCounters();
    var fromArchive = reserve(hold("r-1", 3));
    assertTrue(fromArchive.hasNoEvents(), "a retry never charges twice");
    assertEquals(first, ok(fromArchive.reply()));
    assertEquals(1, archive.findCalls());
    assertEquals(97, available());
  }

  @Test
  void everyCommandTypeFindsAnArchivedReservation() {
    ReservationView[] views = reserveCommitAndArchive();
    ReservationView reserved = views[0];
    ReservationView committed = views[1];

    // reserve: same body -> original answer; other body -> 409
    assertEquals(reserved, ok(reserve(hold("r-1", 3)).reply()));
    rejected(reserve(hold("r-1", 4)).reply(), Rejection.IDEMPOTENCY_CONFLICT);
    // commit: same (or no) lines -> original answer; other lines -> 409
    var again = commit("r-1", null);
    assertTrue(again.hasNoEvents());
    assertEquals(committed, ok(again.reply()));
    assertEquals(committed, ok(commit("r-1", List.of(new Line("sms", 3))).reply()));
    rejected(commit("r-1", List.of(new Line("sms", 2))).reply(), Rejection.IDEMPOTENCY_CONFLICT);
    // release after commit -> 409
    rejected(release("r-1").reply(), Rejection.RESERVATION_COMMITTED);
    // read
    ReservationView read = ok(get("r-1"));
    assertEquals(ReservationStatus.COMMITTED, read.status());
    assertEquals(List.of(new Line("sms", 3)), read.committed());
    // unknown ids are still 404, after one archive read
    rejected(get("nope"), Rejection.RESERVATION_NOT_FOUND);
    rejected(commit("nope", null).reply(), Rejection.RESERVATION_NOT_FOUND);
    assertEquals(97, available());
    assertTrue(consistent());
  }

  @Test
  void aLateRefundOfAnArchivedReservationGoesBackToItsGrant() {
    reserveCommitAndArchive();
    RefundRequest bounce = new RefundRequest("f-1", List.of(new Line("sms", 1)), "BOUNCE");
    var refunded = refund("r-1", bounce);
    // The testkit also lists the archive's own event, persisted after the previous command.
    List<WalletEvent> events = refunded.events().stream()
        .filter(e -> !(e instanceof WalletEvent.ReservationsArchived)).toList();
    assertEquals(2, events.size(), events::toString);
    assertInstanceOf(ReservationRestored.class, events.get(0));
    CreditsRefunded e = assertInstanceOf(CreditsRefunded.class, events.get(1));
    assertEquals("g-1", e.refunded().get(0).grantId());
    ReservationView answer = ok(refunded.reply());
    assertEquals(List.of(new Line("sms", 1)), answer.refunded());
    assertEquals(98, available());

    var repeated = refund("r-1", bounce);
    assertTrue(repeated.hasNoEvents());
    assertEquals(answer, ok(repeated.reply()));
    rejected(refund("r-1", new RefundRequest("f-1", List.of(new Line("sms", 2)), "BOUNCE")).reply(),
        Rejection.IDEMPOTENCY_CONFLICT);

    // Back in memory with a new revision, it is archived again after the window, refund included.
    clock.advance(WINDOW.plusSeconds(1));
    wakeUp();
    awaitState(x -> x.reservation("r-1").isEmpty(), "r-1 archived again");
    assertEquals(answer, ok(refund("r-1", bounce).reply()));
    assertTrue(consistent());
  }

  @Test
  void aCrashBetweenTheArchiveWriteAndItsEventLosesNothing() {
    ok(reserve(hold("r-1", 3)).reply());
    ReservationView committed = ok(commit("r-1", null).reply());
    // The row is written, then the answer is lost (as in a crash right after the write).
    archive.failNextStoresAfterWriting(1);
    clock.advance(WINDOW.plusSeconds(1));
    wakeUp();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (archive.storeCalls() < 1 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertEquals(1, archive.storeCalls());
    // No event says it was archived, so the reservation is still the wallet's in its journal ...
    // (checked on the journal: the recovered wallet may archive it again before a read of its state)
    assertTrue(kit.persistenceTestKit().persistedInStorage("Wallet|w-a").stream()
        .noneMatch(e -> e instanceof WalletEvent.ReservationsArchived), "no archive event after a failed store");
    kit.restart();
    // ... and the recovered wallet archives it again (the write is an idempotent upsert).
    awaitState(x -> x.reservation("r-1").isEmpty(), "r-1 archived by the recovered wallet");
    assertEquals(2, archive.storeCalls());
    assertEquals(committed, ok(commit("r-1", null).reply()));
    assertEquals(97, available());
    assertTrue(consistent());
  }

  @Test
  void archivedReservationsAreFoundAfterARestart() {
    ReservationView[] views = reserveCommitAndArchive();
    kit.restart();
    assertTrue(kit.getState().reservation("r-1").isEmpty());
    assertEquals(views[0], ok(reserve(hold("r-1", 3)).reply()));
    assertEquals(views[1], ok(commit("r-1", null).reply()));
    assertEquals(97, available());
  }

  @Test
  void beyondRecentMaxTheOldestGoAtOnce() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create(
        "w-max", clock, WalletPolicy.DEFAULTS.withRecent(WINDOW, 3), 1000, WakeupIndex.NONE, archive));
    kit.clear();
    ok(kit.<Outcome<WalletViews.Configured>>runCommand(r ->
        new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), r)).reply());
    ok(kit.<Outcome<GrantView>>runCommand(r -> new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.PROMO, null, null, null, 0, false), r)).reply());
    for (int i = 0; i < 10; i++) {
      ok(reserve(hold("r-" + i, 1)).reply());
      ok(commit("r-" + i, null).reply());
    }
    WalletState s = awaitState(x -> x.recentCount() <= 3 && x.archivedTotal() == 7, "all but 3 archived");
    assertTrue(s.reservation("r-9").isPresent(), "the newest stay");
    assertTrue(s.reservation("r-0").isEmpty(), "the oldest went first");
  }

  @Test
  void theOpenHoldCapAnswersTooManyOpenHolds() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create(
        "w-cap", clock, WalletPolicy.DEFAULTS.withLimits(2, 200), 1000, WakeupIndex.NONE, archive));
    kit.clear();
    ok(kit.<Outcome<WalletViews.Configured>>runCommand(r ->
        new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), r)).reply());
    ok(kit.<Outcome<GrantView>>runCommand(r -> new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.PROMO, null, null, null, 0, false), r)).reply());
    ok(reserve(hold("h-1", 1)).reply());
    ok(reserve(hold("h-2", 1)).reply());
    var third = reserve(hold("h-3", 1));
    assertTrue(third.hasNoEvents());
    rejected(third.reply(), Rejection.TOO_MANY_OPEN_HOLDS);
    ok(commit("h-1", null).reply());
    ok(reserve(hold("h-3", 1)).reply());
  }
}
