package com.creditwallet.ledger;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The marks of wallets being fed (table ledger_feeds): a wallet's feed writes its mark, naming
 * the node incarnation that runs it, before the wallet writes any event, and deletes it once
 * everything is projected and the wallet stops. A mark whose node is gone therefore names a
 * wallet that may have events the read side has not seen; {@link FeedSweeper} wakes it. A mark
 * left over for no reason (a lost delete) only costs one needless wake-up.
 */
public final class FeedMarks {
  /**
   * Partitions of the table, a hash of the wallet id. Fixed: marks are only ever read all
   * together, so the number only bounds a partition's size (the wallets in memory at once,
   * spread over these).
   */
  public static final int SLICES = 64;

  /** One mark as read back. */
  public record Mark(String walletId, String owner, Instant since) {}

  private final CassandraSession session;
  private final Prepared insert;
  private final Prepared delete;
  private final Prepared select;

  public FeedMarks(CassandraSession session, String keyspace) {
    this.session = session;
    insert = new Prepared(session, "INSERT INTO " + keyspace + ".ledger_feeds (slice, wallet_id, owner, since)"
        + " VALUES (?, ?, ?, ?)");
    delete = new Prepared(session, "DELETE FROM " + keyspace + ".ledger_feeds WHERE slice = ? AND wallet_id = ?");
    select = new Prepared(session, "SELECT wallet_id, owner, since FROM " + keyspace + ".ledger_feeds WHERE slice = ?");
  }

  static int sliceOf(String walletId) {
    return Math.floorMod(walletId.hashCode(), SLICES);
  }

  public CompletionStage<Done> mark(String walletId, String owner, Instant since) {
    return insert.get().thenCompose(ps -> session.executeWrite(ps.bind(sliceOf(walletId), walletId, owner, since)));
  }

  public CompletionStage<Done> unmark(String walletId) {
    return delete.get().thenCompose(ps -> session.executeWrite(ps.bind(sliceOf(walletId), walletId)));
  }

  /** Every mark, slice by slice. */
  public CompletionStage<List<Mark>> all() {
    CompletionStage<List<Mark>> out = CompletableFuture.completedFuture(new ArrayList<>());
    for (int i = 0; i < SLICES; i++) {
      int slice = i;
      out = out.thenCompose(marks -> select.get().thenCompose(ps -> session.selectAll(ps.bind(slice))).thenApply(rows -> {
        for (Row r : rows) marks.add(new Mark(r.getString("wallet_id"), r.getString("owner"), r.getInstant("since")));
        return marks;
      }));
    }
    return out;
  }
}
