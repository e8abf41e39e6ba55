package com.creditwallet.ledger;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The marks of wallets being fed: a wallet's feed writes its mark, under the node incarnation
 * (owner) that runs it, before the wallet writes any event, and deletes it once everything is
 * projected and the wallet stops. A mark whose owner is gone therefore names a wallet that may
 * have events the read side has not seen; {@link FeedSweeper} wakes it. A mark left over for no
 * reason (a lost delete) only costs one needless wake-up.
 *
 * <p>Marks are stored by owner (table ledger_feed_marks, owners listed in ledger_feed_owners)
 * because every wallet that leaves memory leaves a tombstone where its mark was: keyed by wallet,
 * finding the few marks of a dead node meant reading the tombstones of every wallet that had
 * passed through any node (a million of them stalled a one-node run). Keyed by owner, a sweep
 * reads the owner list and only the marks of owners that are gone.
 */
public final class FeedMarks {
  /**
   * Partitions per owner, a hash of the wallet id. Fixed: an owner's marks are only ever read
   * all together, so the number only bounds a partition's size (one node's wallets in memory,
   * and the tombstones of those that left in the last gc_grace, spread over these).
   */
  public static final int SLICES = 64;

  private final CassandraSession session;
  private final Prepared register;
  private final Prepared owners;
  private final Prepared forget;
  private final Prepared insert;
  private final Prepared delete;
  private final Prepared select;
  /** Owners registered by this node (one, but tests run fake ones): registered once each. */
  private final Map<String, CompletionStage<Done>> registered = new ConcurrentHashMap<>();

  public FeedMarks(CassandraSession session, String keyspace) {
    this.session = session;
    register = new Prepared(session, "INSERT INTO " + keyspace + ".ledger_feed_owners (owner, since) VALUES (?, ?)");
    owners = new Prepared(session, "SELECT owner FROM " + keyspace + ".ledger_feed_owners");
    forget = new Prepared(session, "DELETE FROM " + keyspace + ".ledger_feed_owners WHERE owner = ?");
    insert = new Prepared(session, "INSERT INTO " + keyspace + ".ledger_feed_marks (owner, slice, wallet_id, since)"
        + " VALUES (?, ?, ?, ?)");
    delete = new Prepared(session, "DELETE FROM " + keyspace + ".ledger_feed_marks"
        + " WHERE owner = ? AND slice = ? AND wallet_id = ?");
    select = new Prepared(session, "SELECT wallet_id FROM " + keyspace + ".ledger_feed_marks"
        + " WHERE owner = ? AND slice = ? LIMIT ?");
  }

  static int sliceOf(String walletId) {
    return Math.floorMod(walletId.hashCode(), SLICES);
  }

  /** Marks a wallet as fed by {@code owner}; the owner is listed first, so a sweep can find the mark. */
  public CompletionStage<Done> mark(String walletId, String owner, Instant since) {
    return registered(owner, since).thenCompose(d -> insert.get())
        .thenCompose(ps -> session.executeWrite(ps.bind(owner, sliceOf(walletId), walletId, since)));
  }

  public CompletionStage<Done> unmark(String walletId, String owner) {
    return delete.get().thenCompose(ps -> session.executeWrite(ps.bind(owner, sliceOf(walletId), walletId)));
  }

  /**
   * Every owner that has written marks and was not forgotten since (the table also keeps when
   * each first marked, for an operator reading it).
   */
  public CompletionStage<List<String>> owners() {
    return owners.get().thenCompose(ps -> session.selectAll(ps.bind())).thenApply(rows -> {
      List<String> out = new ArrayList<>(rows.size());
      for (Row r : rows) out.add(r.getString("owner"));
      return out;
    });
  }

  /** Removes an owner from the list (a dead one with no marks left). */
  public CompletionStage<Done> forget(String owner) {
    registered.remove(owner);
    return forget.get().thenCompose(ps -> session.executeWrite(ps.bind(owner)));
  }

  /** Up to {@code limit} wallets marked by {@code owner}, slice by slice. */
  public CompletionStage<List<String>> marked(String owner, int limit) {
    CompletionStage<List<String>> out = CompletableFuture.completedFuture(new ArrayList<>());
    for (int i = 0; i < SLICES; i++) {
      int slice = i;
      out = out.thenCompose(wallets -> {
        if (wallets.size() >= limit) return CompletableFuture.completedFuture(wallets);
        return select.get().thenCompose(ps -> session.selectAll(ps.bind(owner, slice, limit - wallets.size())))
            .thenApply(rows -> {
              for (Row r : rows) wallets.add(r.getString("wallet_id"));
              return wallets;
            });
      });
    }
    return out;
  }

  /** Lists the owner once; a failed attempt is tried again by the next mark. */
  private CompletionStage<Done> registered(String owner, Instant since) {
    CompletionStage<Done> r = registered.computeIfAbsent(owner,
        o -> register.get().thenCompose(ps -> session.executeWrite(ps.bind(o, since))));
    r.whenComplete((d, failure) -> {
      if (failure != null) registered.remove(owner, r);
    });
    return r;
  }
}
