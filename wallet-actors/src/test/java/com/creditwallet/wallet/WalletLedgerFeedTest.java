package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.snapshot.SnapshotPruner;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wallet's side of the ledger feed protocol ({@link LedgerFeed}), with the feed played by a
 * probe: nothing is written before the feed answers Open, every durable write is told with the
 * right sequence numbers, a restarted wallet opens at the sequence number it recovered to, a
 * wallet whose feed stops opens a new one before it writes again, and a stopping wallet waits for
 * the feed to close (and reopens it for commands that came meanwhile).
 */
class WalletLedgerFeedTest {
  static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");

  static ActorTestKit testKit;

  final ManualClock clock = new ManualClock(T0);
  final InMemoryReservationArchive archive = new InMemoryReservationArchive();
  final TestProbe<LedgerFeed.Message> feed = testKit.createTestProbe();
  final String walletId = "w-" + UUID.randomUUID();

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletLedgerFeedTest", WalletEntityTest.CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /** A wallet whose feed forwards everything to the probe. */
  ActorRef<WalletEntity.Command> wallet() {
    return wallet(WakeupIndex.NONE);
  }

  ActorRef<WalletEntity.Command> wallet(WakeupIndex index) {
    LedgerFeed feeds = id -> feed.getRef();
    return testKit.spawn(WalletEntity.create(walletId, clock, WalletPolicy.DEFAULTS, 1000, index, archive,
        SnapshotPruner.NONE, feeds));
  }

  LedgerFeed.Open expectOpen(long lastSeq) {
    LedgerFeed.Open open = assertInstanceOf(LedgerFeed.Open.class, feed.receiveMessage());
    assertEquals(lastSeq, open.lastSeq());
    return open;
  }

  LedgerFeed.Persisted expectPersisted(long firstSeq, int events) {
    LedgerFeed.Persisted p = assertInstanceOf(LedgerFeed.Persisted.class, feed.receiveMessage());
    assertEquals(firstSeq, p.firstSeq());
    assertEquals(events, p.events().size());
    return p;
  }

  /** Creates the wallet (opening its feed): one event. */
  void create(ActorRef<WalletEntity.Command> w) {
    TestProbe<Outcome<WalletViews.Configured>> configured = testKit.createTestProbe();
    w.tell(new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), configured.getRef()));
    expectOpen(0).replyTo().tell(LedgerFeed.Opened.INSTANCE);
    assertTrue(configured.receiveMessage().isAccepted());
    expectPersisted(1, 1);
  }

  /** A wallet created and granted 100 credits: events 1 and 2, both told to the feed. */
  ActorRef<WalletEntity.Command> createdWithAGrant() {
    ActorRef<WalletEntity.Command> w = wallet();
    create(w);
    TestProbe<Outcome<WalletViews.GrantView>> granted = testKit.createTestProbe();
    w.tell(grant("g-1", 100, granted.getRef()));
    assertTrue(granted.receiveMessage().isAccepted());
    expectPersisted(2, 1);
    return w;
  }

  static WalletEntity.IssueGrant grant(String id, long amount, ActorRef<Outcome<WalletViews.GrantView>> replyTo) {
    return new WalletEntity.IssueGrant(new GrantRequest(id, "sms", amount, GrantSource.PROMO, null, null, null, 0, false),
        replyTo);
  }

  static WalletEntity.Reserve reserve(String id, ActorRef<Outcome<WalletViews.ReservationView>> replyTo) {
    return new WalletEntity.Reserve(new ReserveRequest(id, List.of(new Line("sms", 1)), null, 900L, false, null),
        ReservationKind.HOLD, replyTo);
  }

  @Test
  void nothingIsWrittenBeforeTheFeedHasItsMarkAndEveryWriteIsToldInOrder() {
    ActorRef<WalletEntity.Command> w = wallet();
    TestProbe<Outcome<WalletViews.Configured>> configured = testKit.createTestProbe();
    w.tell(new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), configured.getRef()));
    LedgerFeed.Open open = expectOpen(0);
    configured.expectNoMessage(Duration.ofMillis(200));
    open.replyTo().tell(LedgerFeed.Opened.INSTANCE);
    assertTrue(configured.receiveMessage().isAccepted());
    assertInstanceOf(WalletEvent.WalletConfigured.class, expectPersisted(1, 1).events().get(0));

    TestProbe<Outcome<WalletViews.GrantView>> granted = testKit.createTestProbe();
    w.tell(grant("g-1", 100, granted.getRef()));
    assertTrue(granted.receiveMessage().isAccepted());
    assertInstanceOf(WalletEvent.GrantIssued.class, expectPersisted(2, 1).events().get(0));

    TestProbe<Outcome<WalletViews.ReservationView>> reserved = testKit.createTestProbe();
    w.tell(reserve("r-1", reserved.getRef()));
    assertTrue(reserved.receiveMessage().isAccepted());
    assertInstanceOf(WalletEvent.CreditsReserved.class, expectPersisted(3, 1).events().get(0));
  }

  @Test
  void aRestartedWalletOpensItsFeedWhereRecoveryEnded() {
    ActorRef<WalletEntity.Command> w = createdWithAGrant();
    testKit.stop(w);

    ActorRef<WalletEntity.Command> again = wallet();
    TestProbe<Outcome<WalletViews.WalletView>> view = testKit.createTestProbe();
    again.tell(new WalletEntity.GetWallet(view.getRef()));
    expectOpen(2).replyTo().tell(LedgerFeed.Opened.INSTANCE);
    assertTrue(view.receiveMessage().isAccepted());
    TestProbe<Outcome<WalletViews.GrantView>> granted = testKit.createTestProbe();
    again.tell(grant("g-2", 1, granted.getRef()));
    assertTrue(granted.receiveMessage().isAccepted());
    expectPersisted(3, 1);
  }

  @Test
  void aWalletWhoseFeedStopsOpensANewOneBeforeWritingAgain() {
    TestProbe<LedgerFeed.Message> second = testKit.createTestProbe();
    Iterator<TestProbe<LedgerFeed.Message>> feeds = List.of(feed, second).iterator();
    ActorRef<WalletEntity.Command> w = testKit.spawn(WalletEntity.create(walletId, clock, WalletPolicy.DEFAULTS, 1000,
        WakeupIndex.NONE, archive, SnapshotPruner.NONE, id -> feeds.next().getRef()));
    create(w);
    feed.stop();
    // The new feed is opened where the wallet is: it catches up on whatever the old one left.
    LedgerFeed.Open open = assertInstanceOf(LedgerFeed.Open.class, second.receiveMessage());
    assertEquals(1, open.lastSeq());
    TestProbe<Outcome<WalletViews.GrantView>> granted = testKit.createTestProbe();
    w.tell(grant("g-1", 100, granted.getRef()));
    granted.expectNoMessage(Duration.ofMillis(200));
    open.replyTo().tell(LedgerFeed.Opened.INSTANCE);
    assertTrue(granted.receiveMessage().isAccepted());
    LedgerFeed.Persisted p = assertInstanceOf(LedgerFeed.Persisted.class, second.receiveMessage());
    assertEquals(2, p.firstSeq());
  }

  @Test
  void aStoppingWalletWaitsForItsFeedToCloseAndReopensItForLateCommands() {
    ActorRef<WalletEntity.Command> w = createdWithAGrant();

    w.tell(WalletEntity.Stop.INSTANCE);
    LedgerFeed.Close close = assertInstanceOf(LedgerFeed.Close.class, feed.receiveMessage());
    // A command that reached the wallet while its feed was closing waits, and is not lost.
    TestProbe<Outcome<WalletViews.ReservationView>> reserved = testKit.createTestProbe();
    w.tell(reserve("r-late", reserved.getRef()));
    reserved.expectNoMessage(Duration.ofMillis(200));
    close.replyTo().tell(LedgerFeed.Closed.INSTANCE);

    expectOpen(2).replyTo().tell(LedgerFeed.Opened.INSTANCE);
    assertTrue(reserved.receiveMessage().isAccepted());
    expectPersisted(3, 1);
    // The stop is still wanted: the feed closes again, and only then the wallet stops.
    LedgerFeed.Close again = assertInstanceOf(LedgerFeed.Close.class, feed.receiveMessage());
    TestProbe<Void> watcher = testKit.createTestProbe();
    again.replyTo().tell(LedgerFeed.Closed.INSTANCE);
    watcher.expectTerminated(w);
  }

  /**
   * A restarted wallet cannot archive before its feed is open (the feed takes the archive's
   * event), so until then the past archive deadline is not its next one: it neither wakes itself
   * every few milliseconds nor rewrites its wake-up row meanwhile, and archives once the feed
   * answers.
   */
  @Test
  void aRestartedWalletWithSomethingToArchiveWaitsForItsFeedWithoutSpinning() {
    ActorRef<WalletEntity.Command> w = createdWithAGrant();
    TestProbe<Outcome<WalletViews.ReservationView>> answered = testKit.createTestProbe();
    w.tell(reserve("r-1", answered.getRef()));
    assertTrue(answered.receiveMessage().isAccepted());
    expectPersisted(3, 1);
    w.tell(new WalletEntity.Commit("r-1", null, answered.getRef()));
    assertTrue(answered.receiveMessage().isAccepted());
    expectPersisted(4, 1);
    testKit.stop(w);

    clock.advance(WalletPolicy.DEFAULTS.recentWindow().plusMinutes(1));
    AtomicInteger indexWrites = new AtomicInteger();
    ActorRef<WalletEntity.Command> again = wallet((id, at) -> {
      indexWrites.incrementAndGet();
      return CompletableFuture.completedFuture(at);
    });
    TestProbe<Outcome<WalletViews.WalletView>> view = testKit.createTestProbe();
    again.tell(new WalletEntity.GetWallet(view.getRef()));
    LedgerFeed.Open open = expectOpen(4);
    feed.expectNoMessage(Duration.ofMillis(300));
    assertEquals(0, indexWrites.get(), "nothing to index: the only deadline is the archive's, which must wait");

    open.replyTo().tell(LedgerFeed.Opened.INSTANCE);
    assertTrue(view.receiveMessage().isAccepted());
    assertInstanceOf(WalletEvent.ReservationsArchived.class, expectPersisted(5, 1).events().get(0));
    assertTrue(archive.rows(walletId).containsKey("r-1"));
  }
}
