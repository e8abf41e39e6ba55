package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The feed's linger on a real Cassandra node: two reservations of one wallet within
 * {@code linger} reach the ledger in one write, which Cassandra shows as one write time for both
 * lines (a batch's statements share its timestamp; two writes never do).
 */
@ExtendWith(CassandraExtension.class)
class WalletFeedLingerIT {
  private static final Duration DEADLINE = FeedItNode.DEADLINE;
  private static final String WALLET = "w-linger";

  private static FeedItNode node;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    // Long enough that the second reservation, a round trip after the first, always falls in it.
    node = FeedItNode.start("WalletFeedLingerIT", "wallet.read-side.linger = 3s", keyspace);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.stop();
  }

  @Test
  void twoReservationsWithinTheLingerShareOneLedgerWrite() throws Exception {
    ActorTestKit kit = node.kit();
    WalletSharding wallets = node.wallets();
    TestProbe<Outcome<WalletViews.Configured>> configured = kit.createTestProbe();
    wallets.wallet(WALLET).tell(new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), configured.getRef()));
    assertTrue(configured.receiveMessage(DEADLINE).isAccepted());
    TestProbe<Outcome<WalletViews.GrantView>> granted = kit.createTestProbe();
    wallets.wallet(WALLET).tell(new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 100, GrantSource.TOPUP, null, null, null, 0, false), granted.getRef()));
    assertTrue(granted.receiveMessage(DEADLINE).isAccepted());
    // The feed is free again once the grant is stored: the reservations start a new group.
    FeedItNode.await("the grant's totals and watermark are stored", () -> node.watermark(WALLET) == 2);

    Instant before = Instant.now();
    TestProbe<Outcome<WalletViews.ReservationView>> reserved = kit.createTestProbe();
    for (String id : List.of("r-1", "r-2")) {
      wallets.wallet(WALLET).tell(new WalletEntity.Reserve(
          new ReserveRequest(id, List.of(new Line("sms", 1)), null, 900L, false, null), ReservationKind.HOLD,
          reserved.getRef()));
      assertTrue(reserved.receiveMessage(DEADLINE).isAccepted());
    }
    Set<String> months = new TreeSet<>(List.of(LedgerStore.month(before), LedgerStore.month(Instant.now())));

    Map<String, Long> writeTimes = new HashMap<>();
    FeedItNode.await("both reservations' lines are in the ledger", () -> {
      writeTimes.clear();
      for (String month : months) {
        for (Row r : node.session().execute("SELECT reservation_id, writetime(type) FROM ledger_entries"
            + " WHERE wallet_id = ? AND month = ?", WALLET, month)) {
          if (r.getString(0) != null) writeTimes.put(r.getString(0), r.getLong(1));
        }
      }
      return writeTimes.size() == 2;
    });
    assertEquals(writeTimes.get("r-1"), writeTimes.get("r-2"), "one write for both lines: " + writeTimes);
  }
}
