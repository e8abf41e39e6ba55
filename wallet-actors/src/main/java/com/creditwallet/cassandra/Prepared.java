package com.creditwallet.cassandra;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * A statement prepared once, at construction, and reused; prepared again on the next use if
 * that failed (Cassandra not reachable yet), instead of failing every later call.
 */
public final class Prepared {
  private final CassandraSession session;
  private final String cql;
  private final AtomicReference<CompletableFuture<PreparedStatement>> current = new AtomicReference<>();

  public Prepared(CassandraSession session, String cql) {
    this.session = session;
    this.cql = cql;
    get();
  }

  public CompletionStage<PreparedStatement> get() {
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

  /**
   * Binds {@code values} to an INSERT of a row written once, leaving the nulls unset. A bound
   * null is not "no value": Cassandra writes a tombstone for it, one per null column of every
   * row, which it then stores, compacts and skips on every read of the partition. An unset
   * column writes nothing and reads back as null all the same. Only for rows that are never
   * rewritten with a value removed (a rewrite with unset columns keeps the old values).
   */
  public static BoundStatement bindPresent(PreparedStatement ps, Object... values) {
    BoundStatementBuilder b = ps.boundStatementBuilder(values);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) b = b.unset(i);
    }
    return b.build();
  }
}
