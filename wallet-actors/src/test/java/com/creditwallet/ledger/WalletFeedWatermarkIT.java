package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
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
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The watermark timer of a wallet's feed, on a real Cassandra node: a reservation's group leaves
 * the stored watermark behind, and the feed stores it within {@code watermark-flush} while the
 * wallet stays in memory and keeps its mark (the other way it is stored, before the mark goes,
 * is in WalletFeedIT).
 */
@ExtendWith(CassandraExtension.class)
class WalletFeedWatermarkIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static ActorTestKit kit;
  private static CassandraTestKeyspace cassandra;
  private static WalletSharding wallets;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    kit = ActorTestKit.create("WalletFeedWatermarkIT", ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        wallet.read-side.watermark-flush = 300ms
        """).withFallback(keyspace.actorSystemConfig()));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ReadSide readSide = ReadSide.start(kit.system(), Clock.systemUTC());
    wallets = WalletSharding.init(kit.system(), Clock.systemUTC(), readSide.ledgerFeed());
    readSide.watch(wallets);
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.shutdownTestKit();
  }

  @Test
  void aLaggingWatermarkIsStoredWithinItsIntervalWhileTheWalletStaysFed() throws Exception {
    TestProbe<Outcome<WalletViews.Configured>> configured = kit.createTestProbe();
    wallets.wallet("w-timer").tell(new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), configured.getRef()));
    assertTrue(configured.receiveMessage(DEADLINE).isAccepted());
    TestProbe<Outcome<WalletViews.GrantView>> granted = kit.createTestProbe();
    wallets.wallet("w-timer").tell(new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.TOPUP, null, null, null, 0, false), granted.getRef()));
    assertTrue(granted.receiveMessage(DEADLINE).isAccepted());
    await("the grant's totals and watermark are stored", () -> watermark("w-timer") == 2);

    TestProbe<Outcome<WalletViews.ReservationView>> reserved = kit.createTestProbe();
    wallets.wallet("w-timer").tell(new WalletEntity.Reserve(
        new ReserveRequest("r-1", List.of(new Line("sms", 1)), null, 900L, false, null), ReservationKind.HOLD,
        reserved.getRef()));
    assertTrue(reserved.receiveMessage(DEADLINE).isAccepted());
    // Nothing else happens to the wallet: only the timer can store the reservation's watermark.
    await("the timer stored the reservation's watermark", () -> watermark("w-timer") == 3);
    assertTrue(marked("w-timer"), "the wallet is still in memory and fed: its feed did not close");
  }

  private static long watermark(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      Row r = s.execute("SELECT watermark FROM usage_totals WHERE wallet_id = ? LIMIT 1", walletId).one();
      return r == null || r.isNull("watermark") ? 0 : r.getLong("watermark");
    }
  }

  private static boolean marked(String walletId) {
    String self = FeedSweeper.owner(Cluster.get(kit.system()).selfMember().uniqueAddress());
    try (CqlSession s = cassandra.openSession()) {
      return s.execute("SELECT since FROM ledger_feed_marks WHERE owner = ? AND slice = ? AND wallet_id = ?",
          self, FeedMarks.sliceOf(walletId), walletId).one() != null;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within " + DEADLINE + ": " + what);
      Thread.sleep(100);
    }
  }
}
