package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wallet.WalletEntity;
import org.apache.pekko.actor.typed.RecipientRef;
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
    RecipientRef<WalletEntity.Command> wallet = node.wallets().wallet("w-timer");
    node.configureAndGrant(wallet);
    FeedItNode.await("the grant's totals and watermark are stored", () -> node.watermark("w-timer") == 2);

    node.reserve(wallet, "r-1", 1);
    // Nothing else happens to the wallet: only the timer can store the reservation's watermark.
    FeedItNode.await("the timer stored the reservation's watermark", () -> node.watermark("w-timer") == 3);
    assertTrue(node.marked("w-timer", node.self()), "the wallet is still in memory and fed: its feed did not close");
  }
}
