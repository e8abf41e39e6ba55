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
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
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
  private static final Duration DEADLINE = FeedItNode.DEADLINE;

  private static FeedItNode node;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = FeedItNode.start("WalletFeedWatermarkIT", "wallet.read-side.watermark-flush = 300ms", keyspace);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.stop();
  }

  @Test
  void aLaggingWatermarkIsStoredWithinItsIntervalWhileTheWalletStaysFed() throws Exception {
    ActorTestKit kit = node.kit();
    WalletSharding wallets = node.wallets();
    TestProbe<Outcome<WalletViews.Configured>> configured = kit.createTestProbe();
    wallets.wallet("w-timer").tell(new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), configured.getRef()));
    assertTrue(configured.receiveMessage(DEADLINE).isAccepted());
    TestProbe<Outcome<WalletViews.GrantView>> granted = kit.createTestProbe();
    wallets.wallet("w-timer").tell(new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.TOPUP, null, null, null, 0, false), granted.getRef()));
    assertTrue(granted.receiveMessage(DEADLINE).isAccepted());
    FeedItNode.await("the grant's totals and watermark are stored", () -> node.watermark("w-timer") == 2);

    TestProbe<Outcome<WalletViews.ReservationView>> reserved = kit.createTestProbe();
    wallets.wallet("w-timer").tell(new WalletEntity.Reserve(
        new ReserveRequest("r-1", List.of(new Line("sms", 1)), null, 900L, false, null), ReservationKind.HOLD,
        reserved.getRef()));
    assertTrue(reserved.receiveMessage(DEADLINE).isAccepted());
    // Nothing else happens to the wallet: only the timer can store the reservation's watermark.
    FeedItNode.await("the timer stored the reservation's watermark", () -> node.watermark("w-timer") == 3);
    assertTrue(node.marked("w-timer", node.self()), "the wallet is still in memory and fed: its feed did not close");
  }
}
