package com.creditwallet.cassandra;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
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
}
