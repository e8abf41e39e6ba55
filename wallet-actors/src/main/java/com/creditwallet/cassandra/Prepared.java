package com.creditwallet.cassandra;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * A statement prepared once, at construction, and reused; prepared again on the next use if
 * that failed (Cassandra not reachable yet), instead of failing every later call.
 */
public final class Prepared {
  private final CassandraSession session;
  private final String cql;
  private final AtomicReference<CompletableFuture<PreparedStatement>> current = new AtomicReference<>();
  /** The codec of each bind variable, looked up on its first value; see bindPresent. */
  private volatile TypeCodec<Object>[] codecs;

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
   *
   * <p>{@code ps} is this statement as {@link #get()} prepared it. Each column's codec is looked
   * up once and kept: the driver's own binding looks it up for every value of every row, a walk
   * over its codecs that took about 2% of the node's CPU over 1,000 wallets (a ledger line per
   * reservation; docs/performance.md, "Codecs looked up once"). A kept codec is used only while
   * it still accepts the value, so a column bound with another Java type gets its own again.
   */
  public BoundStatement bindPresent(PreparedStatement ps, Object... values) {
    BoundStatementBuilder b = ps.boundStatementBuilder(); // every column unset
    TypeCodec<Object>[] kept = codecs(ps);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) continue;
      TypeCodec<Object> codec = kept[i];
      if (codec == null || !codec.accepts(v)) {
        codec = b.codecRegistry().codecFor(ps.getVariableDefinitions().get(i).getType(), v);
        kept[i] = codec; // a race only looks the same codec up twice
      }
      b = b.set(i, v, codec);
    }
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private TypeCodec<Object>[] codecs(PreparedStatement ps) {
    TypeCodec<Object>[] kept = codecs;
    if (kept == null) {
      kept = codecs = new TypeCodec[ps.getVariableDefinitions().size()];
    }
    return kept;
  }
}
