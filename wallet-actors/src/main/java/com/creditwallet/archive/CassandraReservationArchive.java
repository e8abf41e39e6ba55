package com.creditwallet.archive;

import com.creditwallet.persistence.Schema;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
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
   * Requests one call keeps in flight. The session is the journal's: by default one connection
   * per node, at most 1024 requests in flight on it, which a large store must not take.
   */
  static final int PARALLELISM = 64;

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
   * One insert per row (each its own partition: a multi-partition batch would only move the
   * fan-out to one coordinator and draw Cassandra's batch warnings), {@link #PARALLELISM} at a
   * time. If an id is repeated, its last row wins. The payload arrays must not change until the
   * stage completes.
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
    return insert.get().thenCompose(ps -> Source.from(byId.entrySet())
        .mapAsyncUnordered(PARALLELISM, row -> session.executeWrite(
            ps.bind(walletId, row.getKey(), ByteBuffer.wrap(row.getValue()), now, ttlSeconds)
                .setExecutionProfileName(writeProfile)))
        .runWith(Sink.ignore(), system));
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
