package com.creditwallet.archive;

import com.creditwallet.persistence.Schema;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The reservation archive in Cassandra: table {@code reservation_archive} (see
 * {@code cql/archive.cql}), partitioned by wallet and {@link #bucket} so that even the busiest
 * wallet's partitions stay bounded, every row written with the retention as its TTL so that
 * Cassandra forgets it on time. It shares the journal's driver session.
 *
 * <p>Consistency: statements run with the journal's own execution profiles
 * ({@code pekko.persistence.cassandra.write-profile} / {@code read-profile}, the plugin's
 * {@code pekko-persistence-cassandra-profile}, QUORUM), not the driver's default profile
 * (LOCAL_ONE), so a stored row is exactly as durable as an event. On a single node every level
 * means that one replica, which is enough there. With replication 3 use LOCAL_QUORUM (2 of 3:
 * a read always meets a completed write, and one replica may be down); in one data center the
 * plugin's QUORUM is the same, and setting that profile to LOCAL_QUORUM moves journal and
 * archive together.
 */
public final class CassandraReservationArchive implements ReservationArchive {
  /** Buckets per wallet. Fixed forever, as is the hash in {@link #bucket}: see archive.cql. */
  public static final int BUCKETS = 4096;

  /** Cassandra's largest TTL (20 years). */
  static final long MAX_TTL_SECONDS = 630_720_000L;

  /**
   * Requests one call keeps in flight. The session is the journal's: by default one connection
   * per node, at most 1024 requests in flight on it, which a 10,000-row store must not take.
   * 256 was no faster than 64 here.
   */
  static final int PARALLELISM = 64;

  /** Ids per {@code IN} list; a bucket holds more of one find only for huge sets. */
  static final int MAX_IDS_PER_QUERY = 256;

  /** Rows and payload bytes per batch, far below what one mutation may hold (16 MiB). */
  static final int BATCH_ROWS = 64;
  static final long BATCH_BYTES = 256 * 1024;

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
    String table = Schema.validateKeyspace(keyspace) + ".reservation_archive";
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    this.writeProfile = system.settings().config().getString("pekko.persistence.cassandra.write-profile");
    this.readProfile = system.settings().config().getString("pekko.persistence.cassandra.read-profile");
    this.insert = new Prepared(session, "INSERT INTO " + table
        + " (wallet_id, bucket, reservation_id, payload, archived_at) VALUES (?, ?, ?, ?, ?) USING TTL ?");
    this.select = new Prepared(session, "SELECT reservation_id, payload FROM " + table
        + " WHERE wallet_id = ? AND bucket = ? AND reservation_id IN ?");
  }

  /**
   * The bucket of a reservation id: CRC32 (ISO 3309, as {@link CRC32} computes it) of the id's
   * UTF-8 bytes, modulo {@link #BUCKETS}. Deterministic on every JVM, unlike a salted or
   * unspecified hash; never change it, or rows already written can no longer be found.
   */
  public static int bucket(String reservationId) {
    CRC32 crc = new CRC32();
    crc.update(reservationId.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % BUCKETS);
  }

  /**
   * Writes the rows of each partition (wallet and bucket) as one UNLOGGED batch, or a plain
   * insert for a single row, {@link #PARALLELISM} statements at a time. A batch within one
   * partition is one mutation: applied atomically, no batchlog, no batch-size warning; it
   * halved the time of a 10,000-row store against single inserts here. If an id is repeated,
   * its last row wins. The payload arrays must not change until the stage completes.
   */
  @Override
  public CompletionStage<Done> store(String walletId, List<Row> rows) {
    Objects.requireNonNull(walletId, "walletId");
    Map<Integer, Map<String, byte[]>> byBucket = new HashMap<>();
    for (Row row : rows) {
      String id = Objects.requireNonNull(row.reservationId(), "reservationId");
      byBucket.computeIfAbsent(bucket(id), b -> new LinkedHashMap<>())
          .put(id, Objects.requireNonNull(row.payload(), "payload"));
    }
    if (byBucket.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Instant now = Instant.now();
    return insert.get().thenCompose(ps -> Source.from(byBucket.entrySet())
        .mapConcat(partition -> writes(ps, walletId, partition.getKey(), partition.getValue(), now))
        .mapAsyncUnordered(PARALLELISM, session::executeWrite)
        .runWith(Sink.ignore(), system));
  }

  /** One {@code IN} query per bucket the ids fall in, {@link #PARALLELISM} at a time; a new map. */
  @Override
  public CompletionStage<Map<String, byte[]>> find(String walletId, Collection<String> reservationIds) {
    Objects.requireNonNull(walletId, "walletId");
    Map<Integer, List<String>> byBucket = new HashMap<>();
    for (String id : new LinkedHashSet<>(reservationIds)) {
      byBucket.computeIfAbsent(bucket(Objects.requireNonNull(id, "reservationId")), b -> new ArrayList<>()).add(id);
    }
    if (byBucket.isEmpty()) {
      return CompletableFuture.completedFuture(new HashMap<>());
    }
    List<Map.Entry<Integer, List<String>>> queries = new ArrayList<>();
    byBucket.forEach((bucket, ids) -> {
      for (int from = 0; from < ids.size(); from += MAX_IDS_PER_QUERY) {
        queries.add(Map.entry(bucket, ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_QUERY))));
      }
    });
    return select.get().thenCompose(ps -> Source.from(queries)
        .mapAsyncUnordered(PARALLELISM, q -> session.selectAll(ps
            .bind(walletId, q.getKey(), q.getValue())
            .setExecutionProfileName(readProfile)))
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

  /** One partition's rows: batches of at most {@link #BATCH_ROWS} rows and {@link #BATCH_BYTES}. */
  private List<Statement<?>> writes(PreparedStatement ps, String walletId, int bucket, Map<String, byte[]> rows,
      Instant now) {
    List<Statement<?>> statements = new ArrayList<>();
    List<BatchableStatement<?>> chunk = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, byte[]> row : rows.entrySet()) {
      if (!chunk.isEmpty() && (chunk.size() == BATCH_ROWS || bytes + row.getValue().length > BATCH_BYTES)) {
        statements.add(statement(chunk));
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(ps.bind(walletId, bucket, row.getKey(), ByteBuffer.wrap(row.getValue()), now, ttlSeconds));
      bytes += row.getValue().length;
    }
    statements.add(statement(chunk));
    return statements;
  }

  private Statement<?> statement(List<BatchableStatement<?>> chunk) {
    Statement<?> statement = chunk.size() == 1
        ? chunk.get(0)
        : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, chunk);
    return statement.setExecutionProfileName(writeProfile);
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

  /**
   * A statement prepared once, at construction, and reused; prepared again on the next use if
   * that failed (Cassandra not reachable yet), instead of failing every later call.
   */
  private static final class Prepared {
    private final CassandraSession session;
    private final String cql;
    private final AtomicReference<CompletableFuture<PreparedStatement>> current = new AtomicReference<>();

    Prepared(CassandraSession session, String cql) {
      this.session = session;
      this.cql = cql;
      get();
    }

    CompletionStage<PreparedStatement> get() {
      CompletableFuture<PreparedStatement> existing = current.get();
      if (existing != null && !existing.isCompletedExceptionally()) {
        return existing;
      }
      CompletableFuture<PreparedStatement> next = new CompletableFuture<>();
      if (!current.compareAndSet(existing, next)) {
        return current.get();
      }
      session.prepare(cql).whenComplete((ps, failure) -> {
        if (failure != null) {
          next.completeExceptionally(failure);
        } else {
          next.complete(ps);
        }
      });
      return next;
    }
  }
}
