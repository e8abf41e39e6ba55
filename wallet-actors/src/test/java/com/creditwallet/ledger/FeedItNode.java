package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wallet.Outcome;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletSettings;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * What the feed ITs share, so that each states only its own settings: a one-node cluster with
 * sharding and the read side on the test keyspace, and reads of the tables a feed writes. The
 * reads share one driver session, opened with the node and closed by {@link #stop()}: a session
 * per read made the driver log a rejected task at ERROR whenever one closed while its pool
 * still had a callback to run.
 */
record FeedItNode(ActorTestKit kit, WalletSharding wallets, CqlSession session) {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Starts the node with {@code settings} (HOCON) over the test keyspace's config. */
  static FeedItNode start(String name, String settings, CassandraTestKeyspace keyspace) {
    ActorTestKit kit = ActorTestKit.create(name, ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        """ + settings).withFallback(keyspace.actorSystemConfig()));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ReadSide readSide = ReadSide.start(kit.system(), Clock.systemUTC());
    WalletSharding wallets = WalletSharding.init(kit.system(), Clock.systemUTC(), readSide.ledgerFeed());
    readSide.watch(wallets);
    return new FeedItNode(kit, wallets, keyspace.openSession());
  }

  /** Stops the node, then closes the session of the reads. */
  void stop() {
    try {
      kit.shutdownTestKit();
    } finally {
      session.close();
    }
  }

  /** Configures the wallet, then grants it 100 sms credits (g-1): its events 1 and 2. */
  void configureAndGrant(RecipientRef<WalletEntity.Command> wallet) {
    TestProbe<Outcome<WalletViews.Configured>> configured = kit.createTestProbe();
    wallet.tell(new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null),
        configured.getRef()));
    assertTrue(configured.receiveMessage(DEADLINE).isAccepted());
    TestProbe<Outcome<WalletViews.GrantView>> granted = kit.createTestProbe();
    wallet.tell(new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.TOPUP, null, null, null, 0, false), granted.getRef()));
    assertTrue(granted.receiveMessage(DEADLINE).isAccepted());
  }

  /** Holds {@code credits} sms credits as {@code reservationId}: one event, one ledger line. */
  void reserve(RecipientRef<WalletEntity.Command> wallet, String reservationId, long credits) {
    TestProbe<Outcome<WalletViews.ReservationView>> reserved = kit.createTestProbe();
    wallet.tell(new WalletEntity.Reserve(
        new ReserveRequest(reservationId, List.of(new Line("sms", credits)), null, 900L, false, null),
        ReservationKind.HOLD, reserved.getRef()));
    assertTrue(reserved.receiveMessage(DEADLINE).isAccepted());
  }

  /** This node's name in the feed marks. */
  String self() {
    return FeedSweeper.owner(Cluster.get(kit.system()).selfMember().uniqueAddress());
  }

  /** The wallet's stored watermark (0: none). */
  long watermark(String walletId) {
    Row r = session.execute("SELECT watermark FROM usage_totals WHERE wallet_id = ? LIMIT 1", walletId).one();
    return r == null || r.isNull("watermark") ? 0 : r.getLong("watermark");
  }

  /** Whether {@code owner} has a mark for the wallet. */
  boolean marked(String walletId, String owner) {
    return session.execute("SELECT since FROM ledger_feed_marks WHERE owner = ? AND slice = ? AND wallet_id = ?",
        owner, FeedMarks.sliceOf(walletId), walletId).one() != null;
  }

  /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within " + DEADLINE + ": " + what);
      Thread.sleep(100);
    }
  }
}
