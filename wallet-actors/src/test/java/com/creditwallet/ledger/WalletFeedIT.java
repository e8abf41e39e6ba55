package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.snapshot.SnapshotPruner;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.LedgerFeed;
import com.creditwallet.wallet.Outcome;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger feeds on a real Cassandra node, in a one-node cluster with sharding: writes reach
 * the ledger through the wallet's feed; a wallet that passivates removes its mark; and a wallet
 * whose node died after writing events (its events in the journal, unprojected, its mark naming
 * a node that is gone) is woken by the sweeper and its new feed catches up from the journal. The
 * watermark timer is set out of reach (1 h) here, so a stored watermark that lags can only be
 * caught up by the feed before it removes its mark (see WalletFeedWatermarkIT for the timer).
 */
@ExtendWith(CassandraExtension.class)
class WalletFeedIT {
  private static final Duration DEADLINE = FeedItNode.DEADLINE;

  private static FeedItNode node;
  private static ActorTestKit kit;
  private static WalletSharding wallets;
  private static LedgerQueries queries;
  private static FeedMarks marks;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = FeedItNode.start("WalletFeedIT", """
        pekko.cluster.sharding.passivation.strategy = default-idle-strategy
        pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout = 10s
        wallet.read-side.sweep-interval = 500ms
        wallet.read-side.newcomer-grace = 1s
        wallet.read-side.watermark-flush = 1h
        """, keyspace);
    kit = node.kit();
    wallets = node.wallets();
    var session = CassandraSessionRegistry.get(kit.system()).sessionFor("pekko.persistence.cassandra");
    queries = new LedgerQueries(session, keyspace.keyspace());
    marks = new FeedMarks(session, keyspace.keyspace());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.stop();
  }

  /** Configure, a grant of 100 and a reservation of 3 (r-1): two ledger lines, watermark 3. */
  private static void writeThree(ActorRef<WalletEntity.Command> w) {
    node.configureAndGrant(w);
    node.reserve(w, "r-1", 3);
  }

  private static int lines(String walletId) throws Exception {
    return queries.page(new LedgerQuery(walletId, null, null, null, null, null, 100, null))
        .toCompletableFuture().get(30, TimeUnit.SECONDS).entries().size();
  }

  private static boolean marked(String walletId, String owner) {
    return node.marked(walletId, owner);
  }

  private static boolean listed(String owner) {
    return node.session().execute("SELECT since FROM ledger_feed_owners WHERE owner = ?", owner).one() != null;
  }

  private static String self() {
    return node.self();
  }

  private static long watermark(String walletId) {
    return node.watermark(walletId);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    FeedItNode.await(what, condition);
  }

  @Test
  void writesReachTheLedgerAndAPassivatedWalletLeavesNoMark() throws Exception {
    // Commands go through sharding, as the HTTP routes send them.
    ActorRef<WalletEntity.Command> w = kit.spawn(Behaviors.receiveMessage((WalletEntity.Command c) -> {
      wallets.wallet("w-live").tell(c);
      return Behaviors.same();
    }));
    writeThree(w);
    await("the feed wrote both ledger lines", () -> uncheckedLines("w-live") == 2);
    // A reservation alone in its group (the feed is idle): a ledger line, and the stored
    // watermark left behind.
    reserve(w, "r-2");
    await("the feed wrote the reservation's line", () -> uncheckedLines("w-live") == 3);
    assertTrue(watermark("w-live") < 4, "the reservation's watermark is not stored yet: " + watermark("w-live"));
    assertTrue(marked("w-live", self()), "marked as fed by this node while in memory");
    assertTrue(listed(self()), "this node is listed as an owner of marks");
    // Idle for 10 s, the wallet passivates: its feed stores its watermark, then removes the mark.
    // (Not less: the checks above must run while it is still in memory, on a slow machine too.)
    await("the passivated wallet's mark is gone", () -> !marked("w-live", self()));
    assertEquals(4, watermark("w-live"), "the watermark was stored before the mark went");
  }

  private static void reserve(ActorRef<WalletEntity.Command> w, String reservationId) {
    TestProbe<Outcome<WalletViews.ReservationView>> reserved = kit.createTestProbe();
    w.tell(new WalletEntity.Reserve(new ReserveRequest(reservationId, List.of(new Line("sms", 1)), null, 900L, false, null),
        ReservationKind.HOLD, reserved.getRef()));
    assertTrue(reserved.receiveMessage(DEADLINE).isAccepted());
  }

  @Test
  void aWalletWhoseNodeDiedIsWokenAndItsFeedCatchesUpFromTheJournal() throws Exception {
    // The "dead node": the wallet writes its events with no feed at all, then disappears,
    // leaving a mark that names a node incarnation no longer in the cluster.
    ActorRef<WalletEntity.Command> crashed = kit.spawn(WalletEntity.create("w-crashed", Clock.systemUTC(),
        WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive(), SnapshotPruner.NONE,
        LedgerFeed.NONE));
    writeThree(crashed);
    kit.stop(crashed);
    assertEquals(0, lines("w-crashed"), "nothing projected the dead node's events");
    // Its mark, written only now: the sweeper may wake the wallet through sharding within a
    // second or two of it, and must not while the incarnation above still runs.
    // Never a member here, it counts as gone once the sweeper has missed it for its grace (1 s).
    String dead = "pekko://wallet@10.0.0.9:25520#42";
    marks.mark("w-crashed", dead, Instant.now()).toCompletableFuture().get(30, TimeUnit.SECONDS);

    await("the sweeper woke the wallet and its feed caught up", () -> uncheckedLines("w-crashed") == 2);
    // The lines and the watermark are rows of different partitions, so a read can see the lines
    // a moment before the watermark.
    await("the watermark covers every event", () -> watermark("w-crashed") == 3);
    assertTrue(marked("w-crashed", self()), "the woken wallet is now fed by this node");
    await("the dead node's mark was removed once the wallet had its own", () -> !marked("w-crashed", dead));
    await("the dead node, with no marks left, is forgotten", () -> !listed(dead));
  }

  @Test
  void aWalletThatStopsWithoutClosingLeavesAFeedThatReadsTheJournalToItsEnd() throws Exception {
    // The wallet runs with this node's feeds, outside sharding so the test can stop it abruptly.
    LedgerFeed feeds = ReadSide.get(kit.system()).ledgerFeed();
    ActorRef<WalletEntity.Command> fed = kit.spawn(WalletEntity.create("w-orphan", Clock.systemUTC(),
        WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive(), SnapshotPruner.NONE, feeds));
    writeThree(fed);
    await("the feed wrote both ledger lines", () -> uncheckedLines("w-orphan") == 2);
    // An event the feed was never told, as after a journal write that timed out but landed: a
    // second incarnation without a feed commits r-1 (event 4).
    ActorRef<WalletEntity.Command> untold = kit.spawn(WalletEntity.create("w-orphan", Clock.systemUTC(),
        WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive(), SnapshotPruner.NONE,
        LedgerFeed.NONE));
    TestProbe<Outcome<WalletViews.ReservationView>> committed = kit.createTestProbe();
    untold.tell(new WalletEntity.Commit("r-1", null, committed.getRef()));
    assertTrue(committed.receiveMessage(DEADLINE).isAccepted());
    kit.stop(untold);
    assertTrue(watermark("w-orphan") < 4, "the feed was never told event 4");

    // The fed wallet stops without closing its feed: the feed finishes from the journal.
    kit.stop(fed);
    await("the orphaned feed projected the commit it was never told", () -> watermark("w-orphan") == 4);
    assertEquals(3, uncheckedLines("w-orphan"));
    await("the orphaned feed removed its mark", () -> !marked("w-orphan", self()));
  }

  private static int uncheckedLines(String walletId) {
    try {
      return lines(walletId);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
