package com.creditwallet.archive;

import com.creditwallet.persistence.Schema;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import com.creditwallet.cassandra.Prepared;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The reservation archive in Cassandra: table {@code archived_reservations} (see
 * {@code cql/archive.cql}), one row per partition keyed by wallet and reservation id, so that
 * partitions are bounded whatever a wallet's volume and the usual lookup, an id that is not
 * there, is answered by bloom filters. Every row is written with the retention as its TTL, so
 * Cassandra forgets it on time. It shares the journal's driver session.
 *
 * <p>Consistency: statements run with the journal's own execution profiles
 * ({@code pekko.persistence.cassandra.write-profile} / {@code read-profile}, QUORUM by default),
 * so a stored row is exactly as durable as an event. On the single local node any level is that
 * one replica. With replication 3, QUORUM is 2 of 3 and reads see every completed write; in a
 * multi-DC cluster set that profile to LOCAL_QUORUM (journal and archive alike).
 */
public final class CassandraReservationArchive implements ReservationArchive {
  /** Cassandra's largest TTL (20 years). */
  static final long MAX_TTL_SECONDS = 630_720_000L;

  /**
   * Statements one call keeps in flight. The session is the journal's (one connection per node,
   * 1024 requests in flight on it by default), and many wallets archive at once: under a batch
   * load test 64 per call ran the connection out of request slots.
   */
  static final int PARALLELISM = 8;

  /**
   * Rows and bytes per UNLOGGED batch: one statement for several partitions, within Cassandra's
   * warning thresholds for batches across partitions
   * ({@code unlogged_batch_across_partitions_warn_threshold}, 10) and for batch size
   * ({@code batch_size_warn_threshold}, 5 KiB), so a store of 2,000 rows is a few hundred
   * statements and logs no warning.
   */
  static final int BATCH_ROWS = 10;
  static final int BATCH_BYTES = 4 * 1024;

  /** Ids per {@code IN} statement: a group of commands' ids is one statement, huge sets a few. */
  static final int MAX_IDS_PER_QUERY = 500;

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final int ttlSeconds;
  private final String writeProfile;
  private final String readProfile;
  private final Prepared insert;
  private final Prepared select;

  /**
   * @param keyspace the wallet keyspace ({@code wallet.cassandra.keyspace}), schema applied
   * @param ttl how long a row is kept after its last store: the retention; positive, rounded up
   *     to whole seconds
   */
  public CassandraReservationArchive(ActorSystem<?> system, String keyspace, Duration ttl) {
    this.system = Objects.requireNonNull(system, "system");
    this.ttlSeconds = ttlSeconds(ttl);
    String table = Schema.validateKeyspace(keyspace) + ".archived_reservations";
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    this.writeProfile = system.settings().config().getString("pekko.persistence.cassandra.write-profile");
    this.readProfile = system.settings().config().getString("pekko.persistence.cassandra.read-profile");
    this.insert = new Prepared(session, "INSERT INTO " + table
        + " (wallet_id, reservation_id, payload, archived_at) VALUES (?, ?, ?, ?) USING TTL ?");
    this.select = new Prepared(session, "SELECT reservation_id, payload FROM " + table
        + " WHERE wallet_id = ? AND reservation_id IN ?");
  }

  /**
   * UNLOGGED batches of {@link #BATCH_ROWS} rows (each row its own partition; no batch log: each
   * row is an idempotent upsert, and a failed store is simply stored again), {@link #PARALLELISM}
   * at a time. If an id is repeated, its last row wins. The payload arrays must not change until
   * the stage completes.
   */
  @Override
  public CompletionStage<Done> store(String walletId, List<Row> rows) {
    Objects.requireNonNull(walletId, "walletId");
    Map<String, byte[]> byId = new LinkedHashMap<>();
    for (Row row : rows) {
      byId.put(Objects.requireNonNull(row.reservationId(), "reservationId"),
          Objects.requireNonNull(row.payload(), "payload"));
    }
    if (byId.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Instant now = Instant.now();
    return insert.get().thenCompose(ps -> {
      List<BatchStatement> batches = new ArrayList<>();
      List<BatchableStatement<?>> chunk = new ArrayList<>();
      int bytes = 0;
      for (Map.Entry<String, byte[]> row : byId.entrySet()) {
        int size = row.getValue().length + row.getKey().length() + walletId.length() + 16;
        if (!chunk.isEmpty() && (chunk.size() == BATCH_ROWS || bytes + size > BATCH_BYTES)) {
          batches.add(batch(chunk));
          chunk = new ArrayList<>();
          bytes = 0;
        }
        chunk.add(ps.bind(walletId, row.getKey(), ByteBuffer.wrap(row.getValue()), now, ttlSeconds));
        bytes += size;
      }
      if (!chunk.isEmpty()) batches.add(batch(chunk));
      return Source.from(batches)
          .mapAsyncUnordered(PARALLELISM, session::executeWrite)
          .runWith(Sink.ignore(), system);
    });
  }

  /** One {@code IN} statement per {@link #MAX_IDS_PER_QUERY} ids; a new map of what was found. */
  @Override
  public CompletionStage<Map<String, byte[]>> find(String walletId, Collection<String> reservationIds) {
    Objects.requireNonNull(walletId, "walletId");
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(reservationIds));
    ids.forEach(id -> Objects.requireNonNull(id, "reservationId"));
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(new HashMap<>());
    }
    List<List<String>> queries = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_QUERY) {
      queries.add(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_QUERY)));
    }
    return select.get().thenCompose(ps -> Source.from(queries)
        .mapAsyncUnordered(PARALLELISM, q -> session.selectAll(ps.bind(walletId, q).setExecutionProfileName(readProfile)))
        .runFold(new HashMap<String, byte[]>(), (found, rows) -> {
          for (com.datastax.oss.driver.api.core.cql.Row row : rows) {
            ByteBuffer payload = row.getByteBuffer(1);
            if (payload != null) {
              byte[] bytes = new byte[payload.remaining()];
              payload.duplicate().get(bytes);
              found.put(row.getString(0), bytes);
            }
          }
          return found;
        }, system));
  }

  private BatchStatement batch(List<BatchableStatement<?>> rows) {
    return BatchStatement.newInstance(DefaultBatchType.UNLOGGED, rows).setExecutionProfileName(writeProfile);
  }

  private static int ttlSeconds(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("The archive's TTL must be positive, was " + ttl);
    }
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
    if (seconds > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException("The archive's TTL must be at most 20 years, was " + ttl);
    }
    return (int) seconds;
  }
}
