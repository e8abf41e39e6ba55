package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.creditwallet.wallet.WalletAssertions.assertSameWallet;

import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.CategoryAudit;
import com.creditwallet.wallet.WalletViews.Configured;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.ConsumptionOrder;
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
import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.WalletConfigured;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The entity around the rules, on the in-memory journal and snapshot store, with a manual clock.
 * Serialization verification stays on: every command, event, state and reply goes through the
 * configured serializers (Jackson CBOR; rejections as class name + message) and back.
 * {@link WalletSerializationTest} checks that what comes back is equal to what was sent.
 */
class WalletEntityTest {
  static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");

  /** The in-memory journal and snapshot store, over the module's own config (serialization bindings). */
  static final Config CONFIG = EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load());

  static ActorTestKit testKit;

  ManualClock clock;
  EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletEntityTest", CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newWallet() {
    clock = new ManualClock(T0);
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), WalletEntity.create("w-1", clock, WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive()));
    kit.clear(); // every test starts from an empty journal for w-1
  }

  // ---- commands -----------------------------------------------------------------------------

  static final WalletSettings.SettingsUpdate NO_CHANGES = new WalletSettings.SettingsUpdate(null, null, null, null);

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<Configured>> configure(
      WalletSettings.SettingsUpdate u) {
    return kit.runCommand(replyTo -> new WalletEntity.Configure(u, replyTo));
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<GrantView>> grant(GrantRequest r) {
    return kit.runCommand(replyTo -> new WalletEntity.IssueGrant(r, replyTo));
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<ReservationView>> reserve(
      ReserveRequest r, ReservationKind kind) {
    return kit.runCommand(replyTo -> new WalletEntity.Reserve(r, kind, replyTo));
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

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<ReservationView>> getReservation(String id) {
    return kit.runCommand(replyTo -> new WalletEntity.GetReservation(id, replyTo));
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<WalletView>> getWallet() {
    return kit.runCommand(WalletEntity.GetWallet::new);
  }

  CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<AuditReport>> audit() {
    return kit.runCommand(WalletEntity.GetAudit::new);
  }

  static GrantRequest grantReq(String id, String category, long amount) {
    return new GrantRequest(id, category, amount, GrantSource.PROMO, null, null, null, 0, false);
  }

  static ReserveRequest hold(String id, long ttlSeconds, Line... lines) {
    return new ReserveRequest(id, List.of(lines), null, ttlSeconds, false, "campaign-42");
  }

  static Line line(String category, long amount) {
    return new Line(category, amount);
  }

  static <T> T ok(Outcome<T> reply) {
    assertTrue(reply.isAccepted(), () -> "expected success, got " + reply.rejected());
    return reply.value();
  }

  static Rejection rejected(Outcome<?> reply, String code) {
    assertTrue(!reply.isAccepted(), () -> "expected " + code + ", got " + reply);
    Rejection r = Rejection.of(reply.rejected());
    assertEquals(code, r.code(), r::getMessage);
    return r;
  }

  /** A wallet with 100 sms from a promo grant. */
  void smsWallet() {
    assertTrue(ok(configure(NO_CHANGES).reply()).created());
    ok(grant(grantReq("g-1", "sms", 100)).reply());
  }

  void assertConsistent(WalletState s) {
    AuditReport report = WalletViews.audit(s);
    assertTrue(report.consistent(), report::toString);
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void configureGrantReserveCommitRefund() {
    var created = configure(new WalletSettings.SettingsUpdate("Europe/Rome", null, Map.of("sms", 10L), null));
    assertInstanceOf(WalletConfigured.class, created.event());
    Configured c = ok(created.reply());
    assertTrue(c.created());
    assertEquals("w-1", c.wallet().walletId());
    assertEquals("Europe/Rome", c.wallet().timeZone());
    assertEquals(ConsumptionOrder.EXPIRING_FIRST, c.wallet().consumptionOrder());

    var granted = grant(grantReq("g-1", "sms", 500));
    GrantIssued gi = granted.eventOfType(GrantIssued.class);
    assertEquals(Map.of("sms", 500L), gi.balances());
    GrantView gv = ok(granted.reply());
    assertEquals(new GrantView("g-1", "sms", GrantSource.PROMO, 500, 500, 0, null, false), gv);

    var reserved = reserve(hold("r-1", 900, line("sms", 12)), ReservationKind.HOLD);
    CreditsReserved cr = reserved.eventOfType(CreditsReserved.class);
    assertEquals(T0.plusSeconds(900), cr.expiresAt());
    ReservationView rv = ok(reserved.reply());
    assertEquals("r-1", rv.reservationId());
    assertEquals(ReservationStatus.HELD, rv.status());
    assertEquals(List.of(line("sms", 12)), rv.lines());
    assertEquals(T0.plusSeconds(900), rv.expiresAt());
    assertEquals("campaign-42", rv.reference());
    assertEquals(488, reserved.state().available("sms"));

    clock.advanceSeconds(30);
    var committed = commit("r-1", List.of(line("sms", 11)));
    ReservationCommitted rc = committed.eventOfType(ReservationCommitted.class);
    assertEquals(T0.plusSeconds(30), rc.at());
    ReservationView cv = ok(committed.reply());
    assertEquals(ReservationStatus.COMMITTED, cv.status());
    assertEquals(List.of(line("sms", 11)), cv.committed());
    assertEquals(List.of(), cv.refunded());
    assertEquals(T0.plusSeconds(30), cv.settledAt());
    assertEquals(489, committed.state().available("sms"));

    var refunded = refund("r-1", new RefundRequest("f-1", List.of(line("sms", 1)), "BOUNCE"));
    assertInstanceOf(CreditsRefunded.class, refunded.event());
    assertEquals(List.of(line("sms", 1)), ok(refunded.reply()).refunded());

    AuditReport audit = ok(audit().reply());
    assertTrue(audit.consistent());
    CategoryAudit sms = audit.categories().get("sms");
    assertEquals(List.of(500L, 1L, 490L, 0L, 11L, 0L),
        List.of(sms.granted(), sms.refunded(), sms.available(), sms.held(), sms.committed(), sms.expired()));

    WalletView wallet = ok(getWallet().reply());
    assertEquals(490, wallet.balances().get("sms").available());
    assertEquals(0, wallet.balances().get("sms").held());
    assertEquals(List.of("g-1"), wallet.grants().stream().map(GrantView::grantId).toList());
    assertConsistent(kit.getState());
  }

  @Test
  void rejectionsCarryCodeAndStatusAndPersistNothing() {
    smsWallet();
    var tooMuch = reserve(hold("r-1", 900, line("sms", 101)), ReservationKind.HOLD);
    Rejection r = rejected(tooMuch.reply(), Rejection.INSUFFICIENT_CREDITS);
    assertEquals(Map.of("sms", 100L), r.extras().get("available"));
    assertTrue(tooMuch.hasNoEvents());
    assertTrue(kit.getState().reservation("r-1").isEmpty());

    var unknown = reserve(hold("r-1", 900, line("push", 1)), ReservationKind.HOLD);
    assertEquals("lines[0].category", rejected(unknown.reply(), Rejection.INVALID_REQUEST).extras().get("field"));
    assertTrue(unknown.hasNoEvents());

    var topup = grant(new GrantRequest("t-1", "sms", 50, GrantSource.TOPUP, null, null, null, 0, false));
    rejected(topup.reply(), Rejection.TOPUP_OUT_OF_BOUNDS);
    assertTrue(topup.hasNoEvents());

    assertTrue(rejected(commit("nope", null).reply(), Rejection.RESERVATION_NOT_FOUND).detail().contains("nope"));
    rejected(getReservation("nope").reply(), Rejection.RESERVATION_NOT_FOUND);

    ok(reserve(hold("r-2", 900, line("sms", 10)), ReservationKind.HOLD).reply());
    ok(release("r-2").reply());
    var afterRelease = commit("r-2", null);
    rejected(afterRelease.reply(), Rejection.RESERVATION_RELEASED);
    assertTrue(afterRelease.hasNoEvents());
    var more = refund("r-2", new RefundRequest("f-1", List.of(line("sms", 1)), null));
    rejected(more.reply(), Rejection.REFUND_EXCEEDS_COMMITTED);
    assertTrue(more.hasNoEvents());
    assertEquals(100, kit.getState().available("sms"));
    assertConsistent(kit.getState());
  }

  @Test
  void aWalletThatDoesNotExistAnswersWalletNotFound() {
    List<Outcome<?>> replies = List.of(
        getWallet().reply(),
        audit().reply(),
        grant(grantReq("g-1", "sms", 1)).reply(),
        reserve(hold("r-1", 60, line("sms", 1)), ReservationKind.HOLD).reply(),
        reserve(hold("d-1", 60, line("sms", 1)), ReservationKind.DEBIT).reply(),
        commit("r-1", null).reply(),
        release("r-1").reply(),
        refund("r-1", new RefundRequest("f-1", List.of(line("sms", 1)), null)).reply(),
        getReservation("r-1").reply());
    for (Outcome<?> reply : replies) {
      assertTrue(rejected(reply, Rejection.WALLET_NOT_FOUND).detail().contains("w-1"));
    }
    assertTrue(kit.persistenceTestKit().persistedInStorage("Wallet|w-1").isEmpty(), "nothing persisted");
    assertFalse(kit.getState().exists());
  }

  @Test
  void idempotentRetriesProduceNoEventsAndTheSameAnswer() {
    var first = configure(NO_CHANGES);
    var again = configure(NO_CHANGES);
    assertTrue(again.hasNoEvents());
    assertTrue(ok(again.reply()).created(), "a repeat of the creating PUT still says created");
    var update = configure(new WalletSettings.SettingsUpdate(null, ConsumptionOrder.NON_EXPIRING_FIRST, null, null));
    assertFalse(ok(update.reply()).created());
    assertTrue(ok(first.reply()).created());

    GrantView g = ok(grant(grantReq("g-1", "sms", 100)).reply());
    var gAgain = grant(grantReq("g-1", "sms", 100));
    assertTrue(gAgain.hasNoEvents());
    assertEquals(g, ok(gAgain.reply()));
    rejected(grant(grantReq("g-1", "sms", 99)).reply(), Rejection.IDEMPOTENCY_CONFLICT);

    ReserveRequest req = hold("r-1", 900, line("sms", 10));
    ReservationView rv = ok(reserve(req, ReservationKind.HOLD).reply());
    var rAgain = reserve(req, ReservationKind.HOLD);
    assertTrue(rAgain.hasNoEvents());
    assertEquals(rv, ok(rAgain.reply()));
    var conflict = reserve(hold("r-1", 900, line("sms", 11)), ReservationKind.HOLD);
    rejected(conflict.reply(), Rejection.IDEMPOTENCY_CONFLICT);
    assertTrue(conflict.hasNoEvents());

    ReservationView cv = ok(commit("r-1", null).reply());
    var cAgain = commit("r-1", null);
    assertTrue(cAgain.hasNoEvents());
    assertEquals(cv, ok(cAgain.reply()));

    RefundRequest f = new RefundRequest("f-1", List.of(line("sms", 2)), "BOUNCE");
    ReservationView fv = ok(refund("r-1", f).reply());
    var fAgain = refund("r-1", f);
    assertTrue(fAgain.hasNoEvents());
    assertEquals(fv, ok(fAgain.reply()));
    rejected(refund("r-1", new RefundRequest("f-1", List.of(line("sms", 3)), "BOUNCE")).reply(), Rejection.IDEMPOTENCY_CONFLICT);

    ReservationView dv = ok(reserve(hold("d-1", 900, line("sms", 5)), ReservationKind.DEBIT).reply());
    assertEquals("d-1", dv.debitId());
    assertEquals(ReservationStatus.COMMITTED, dv.status());
    var dAgain = reserve(hold("d-1", 900, line("sms", 5)), ReservationKind.DEBIT);
    assertTrue(dAgain.hasNoEvents());
    assertEquals(dv, ok(dAgain.reply()));

    ok(reserve(hold("r-2", 900, line("sms", 1)), ReservationKind.HOLD).reply());
    ok(release("r-2").reply());
    assertTrue(release("r-2").hasNoEvents());
    assertEquals(87, kit.getState().available("sms")); // 100 - 10 + 2 - 5
    assertConsistent(kit.getState());
  }

  @Test
  void restartRecoversTheSameStateAndRetriesStillGetTheOriginalAnswer() {
    smsWallet();
    ReserveRequest held = hold("r-held", 3600, line("sms", 7));
    ReservationView heldView = ok(reserve(held, ReservationKind.HOLD).reply());
    ReserveRequest done = hold("r-done", 3600, line("sms", 20));
    ReservationView doneReserved = ok(reserve(done, ReservationKind.HOLD).reply());
    ReservationView doneView = ok(commit("r-done", List.of(line("sms", 15))).reply());
    RefundRequest f = new RefundRequest("f-1", List.of(line("sms", 4)), "BOUNCE");
    ReservationView refundView = ok(refund("r-done", f).reply());
    GrantView grantView = ok(grant(new GrantRequest("g-2", "email", 40, GrantSource.PACKAGE, null, null, "P2Y", 1, false)).reply());
    WalletState before = kit.getState();

    WalletState after = kit.restart().state();
    assertSameWallet(before, after);

    // Retries after the restart: no events, the same answers as before.
    var r1 = reserve(held, ReservationKind.HOLD);
    assertTrue(r1.hasNoEvents());
    assertEquals(heldView, ok(r1.reply()));
    // A retry of a reservation settled since answers exactly what its first call answered.
    var r2 = reserve(done, ReservationKind.HOLD);
    assertTrue(r2.hasNoEvents());
    assertEquals(doneReserved, ok(r2.reply()));
    assertEquals(ReservationStatus.HELD, ok(r2.reply()).status());
    var c2 = commit("r-done", List.of(line("sms", 15)));
    assertTrue(c2.hasNoEvents());
    assertEquals(doneView, ok(c2.reply()), "a repeated commit answers as the commit did, refunds since or not");
    var r3 = refund("r-done", f);
    assertTrue(r3.hasNoEvents());
    assertEquals(refundView, ok(r3.reply()));
    assertEquals(List.of(line("sms", 15)), doneView.committed());
    var r4 = grant(new GrantRequest("g-2", "email", 40, GrantSource.PACKAGE, null, null, "P2Y", 1, false));
    assertTrue(r4.hasNoEvents(), "a validFor grant retried later is still the same request");
    assertEquals(grantView, ok(r4.reply()));
    // The recovered wallet keeps working, including the hold's deadline.
    clock.advanceSeconds(3600);
    var expired = getWallet();
    ReservationReleased rr = expired.eventOfType(ReservationReleased.class);
    assertTrue(rr.ttlExpired());
    assertEquals(89, ok(expired.reply()).balances().get("sms").available());
    assertConsistent(kit.getState());
  }

  @Test
  void snapshotsSpreadOutAsOpenHoldsGrowAndOldOnesArePruned() {
    List<long[]> pruned = new java.util.concurrent.CopyOnWriteArrayList<>();
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), WalletEntity.create("w-snapsize", clock, WalletPolicy.DEFAULTS, 2, WakeupIndex.NONE,
            new InMemoryReservationArchive(), (pid, seq) -> {
              pruned.add(new long[] {seq});
              return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
            }));
    kit.clear();
    smsWallet();                                                                      // events 1, 2
    for (int i = 1; i <= 40; i++) {
      ok(reserve(hold("h-" + i, 900, line("sms", 1)), ReservationKind.HOLD).reply()); // events 3..42
    }
    List<Long> taken = kit.snapshotTestKit().orElseThrow().persistedInStorage("Wallet|w-snapsize").stream()
        .map(p -> p.first().sequenceNr()).toList();
    // Each snapshot waits at least 2 events and at least as many events as the previous one had
    // entries (grant + holds): 2, 4, 6 (2 entries at 4), 10 (4 at 6), 18 (8), 34 (16); the
    // next not before event 66. With a fixed interval there would have been 21.
    assertEquals(List.of(2L, 4L, 6L, 10L, 18L, 34L), taken);
    for (int i = 1; i < taken.size(); i++) {
      assertTrue(taken.get(i) - taken.get(i - 1) >= 2, "at least snapshot-every apart");
    }
    // Each new snapshot prunes those before the previous one: the latest two are kept.
    assertEquals(List.of(2L, 4L, 6L, 10L, 18L), pruned.stream().map(a -> a[0]).toList());
    assertSameWallet(kit.getState(), kit.restart().state());
    kit.clear();
  }

  @Test
  void recoversFromASnapshotPlusTheEventsAfterIt() {
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), WalletEntity.create("w-snap", clock, WalletPolicy.DEFAULTS, 2, WakeupIndex.NONE, new InMemoryReservationArchive()));
    kit.clear();
    smsWallet();                                                                    // events 1, 2
    ok(grant(new GrantRequest("g-2", "sms", 50, GrantSource.PROMO, T0.plusSeconds(7200), null, null, 0, false)).reply()); // 3
    ok(reserve(hold("r-1", 600, line("sms", 30)), ReservationKind.HOLD).reply());   // 4
    ok(reserve(hold("r-2", 600, line("sms", 40)), ReservationKind.HOLD).reply());   // 5
    ok(commit("r-1", List.of(line("sms", 25))).reply());                           // 6
    var last = refund("r-1", new RefundRequest("f-1", List.of(line("sms", 5)), null)); // 7
    assertEquals(1, last.events().size());
    WalletState before = kit.getState();

    SnapshotTestKit snapshots = kit.snapshotTestKit().orElseThrow();
    List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage("Wallet|w-snap");
    assertFalse(stored.isEmpty(), "snapshots were taken");
    Pair<SnapshotMeta, Object> latest = stored.get(stored.size() - 1);
    long snapSeq = latest.first().sequenceNr();
    assertEquals(6, snapSeq, "snapshots at 2, 4 and 6 (2 entries at 4), event 7 after");
    List<Object> journal = kit.persistenceTestKit().persistedInStorage("Wallet|w-snap");
    assertEquals(7, journal.size());

    // The snapshot plus the events after it is the wallet.
    WalletState fromSnapshot = (WalletState) latest.second();
    for (Object e : journal.subList((int) snapSeq, journal.size())) fromSnapshot = fromSnapshot.apply((WalletEvent) e);
    assertSameWallet(before, fromSnapshot);

    WalletState recovered = kit.restart().state();
    assertSameWallet(before, recovered);
    // The deadlines were rebuilt from the snapshot: the remaining hold still expires on time.
    clock.advanceSeconds(600);
    var due = getWallet();
    ReservationReleased rr = due.eventOfType(ReservationReleased.class);
    assertEquals("r-2", rr.reservationId());
    assertTrue(rr.ttlExpired());
    assertEquals(ReservationStatus.EXPIRED, due.state().reservation("r-2").orElseThrow().status());
    assertEquals(130, due.state().available("sms"));
    assertConsistent(due.state());
    kit.clear();
  }

  @Test
  void anyCommandAfterTheTtlFirstExpiresTheHold() {
    smsWallet();
    ok(reserve(hold("r-1", 60, line("sms", 40)), ReservationKind.HOLD).reply());
    ok(reserve(hold("r-2", 600, line("sms", 10)), ReservationKind.HOLD).reply());
    clock.advanceSeconds(59);
    assertTrue(getWallet().hasNoEvents(), "not due yet");
    clock.advanceSeconds(2);

    var result = getReservation("r-1");
    ReservationReleased e = result.eventOfType(ReservationReleased.class);
    assertEquals("r-1", e.reservationId());
    assertTrue(e.ttlExpired());
    assertEquals(T0.plusSeconds(60), e.at());
    assertEquals(Map.of("sms", 90L), e.balances());
    ReservationView view = ok(result.reply());
    assertEquals(ReservationStatus.EXPIRED, view.status());
    assertEquals(ReservationStatus.EXPIRED, result.state().reservation("r-1").orElseThrow().status());
    assertEquals(ReservationStatus.HELD, result.state().reservation("r-2").orElseThrow().status());

    // A late commit is refused, but the expiry applied by the same command is persisted.
    clock.advanceSeconds(600);
    var late = commit("r-2", null);
    rejected(late.reply(), Rejection.RESERVATION_EXPIRED);
    // (r-1 is past the recent window by now: its archiving may persist an event of its own.)
    List<WalletEvent> released = late.events().stream().filter(x -> x instanceof ReservationReleased).toList();
    assertEquals(1, released.size(), late.events()::toString);
    assertTrue(((ReservationReleased) released.get(0)).ttlExpired());
    assertEquals(100, late.state().available("sms"));
    assertConsistent(late.state());
  }

  @Test
  void aWakeUpAppliesWhatIsDue() {
    // The poller's acknowledged form: the Done comes once what was due is persisted. (The timer's
    // form has no one to answer; it goes through exactly the same queue.)
    assertTrue(kit.<Done>runCommand(WalletEntity.WakeUp::new).hasNoEvents(), "no wallet: nothing to do");
    smsWallet();
    ok(reserve(hold("r-1", 60, line("sms", 40)), ReservationKind.HOLD).reply());
    assertTrue(kit.<Done>runCommand(WalletEntity.WakeUp::new).hasNoEvents(), "nothing due yet");
    clock.advanceSeconds(60);
    var woke = kit.<Done>runCommand(WalletEntity.WakeUp::new);
    assertEquals(Done.getInstance(), woke.reply());
    ReservationReleased e = woke.eventOfType(ReservationReleased.class);
    assertTrue(e.ttlExpired());
    assertEquals(100, woke.state().available("sms"));
    assertTrue(kit.<Done>runCommand(WalletEntity.WakeUp::new).hasNoEvents(), "applied once");
    assertConsistent(woke.state());
  }
}
