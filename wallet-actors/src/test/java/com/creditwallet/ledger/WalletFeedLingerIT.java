package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wallet.WalletEntity;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.RecipientRef;
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
    RecipientRef<WalletEntity.Command> wallet = node.wallets().wallet(WALLET);
    node.configureAndGrant(wallet);
    // The feed is free again once the grant is stored: the reservations start a new group.
    FeedItNode.await("the grant's totals and watermark are stored", () -> node.watermark(WALLET) == 2);

    Instant before = Instant.now();
    node.reserve(wallet, "r-1", 1);
    node.reserve(wallet, "r-2", 1);
    Set<String> months = new TreeSet<>(List.of(LedgerStore.month(before), LedgerStore.month(Instant.now())));

    Map<String, Long> writeTimes = new HashMap<>();
    FeedItNode.await("both reservations' lines are in the ledger", () -> {
      writeTimes.clear();
      for (String month : months) {
        for (Row r : node.session().execute("SELECT at, seq, idx, line, writetime(line) FROM ledger_entries"
            + " WHERE wallet_id = ? AND month = ?", WALLET, month)) {
          LedgerEntry e = LedgerLineCell.decode(WALLET, r.getLong(1), r.getInt(2), r.getInstant(0), r.getByteBuffer(3));
          if (e.reservationId() != null) writeTimes.put(e.reservationId(), r.getLong(4));
        }
      }
      return writeTimes.size() == 2;
    });
    assertEquals(writeTimes.get("r-1"), writeTimes.get("r-2"), "one write for both lines: " + writeTimes);
  }
}
