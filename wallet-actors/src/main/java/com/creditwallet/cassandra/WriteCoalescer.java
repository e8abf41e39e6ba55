package com.creditwallet.cassandra;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Group commit for small writes of many partitions (the read side's ledger lines and usage
 * totals, one wallet each): while a request is out, further writes wait and then go out together,
 * as one unlogged batch, when it comes back; only a full request (enough writes waiting to fill
 * one) goes out beside others, up to {@code maxInFlight}.
 *
 * <p>Why: over 1,000 wallets every reservation's read-side rows are two requests of a few hundred
 * bytes each, and a Cassandra request costs far more CPU (the native protocol, query handling, the
 * driver's framing on our side) than the rows in it. One request for ten wallets' rows spends that
 * once. Letting partial requests go out while others are out shared almost nothing at the load
 * of this machine (bench b: Cassandra 0.30 ms of CPU per reservation with four partial requests
 * allowed out, 0.20 ms with one), so partial requests wait; full ones do not, so a faster node
 * and cluster are not held to one request at a time. At low load nothing waits: a write that
 * finds nothing out is sent at once as it was given.
 *
 * <p>What a caller may rely on: each write is one partition's statement (a bound statement, or a
 * batch whose statements share one partition), and Cassandra applies all of a partition's
 * statements in one request as one mutation, so a write is still all-or-nothing, as it was alone.
 * Two writes of the same partition never share a request (they would share its timestamp, and
 * then neither reliably wins); the later one waits for a later request. A write's stage completes
 * when its request does; a failed request fails every write in it (each is retried by its
 * caller, as before). Requests stay under Cassandra's default warning thresholds for batches
 * ({@code unlogged_batch_across_partitions_warn_threshold} 10 partitions,
 * {@code batch_size_warn_threshold} 5 KiB), so a production cluster neither logs a warning nor
 * sends one back per request; a single write larger than that still goes alone, as before.
 *
 * <p>Statements without a known partition (no routing key) are always sent alone.
 */
public final class WriteCoalescer {
  /** How many full requests may be out at once, and how large one request may grow. */
  public record Settings(int maxInFlight, int maxPartitions, int maxBytes) {
    public Settings {
      if (maxInFlight < 1 || maxPartitions < 1 || maxBytes < 1) {
        throw new IllegalArgumentException("coalesce settings must be positive: " + maxInFlight + ", " + maxPartitions
            + ", " + maxBytes);
      }
    }

    /** From a {@code coalesce} block: max-in-flight, max-partitions, max-bytes. */
    public static Settings from(Config c) {
      return new Settings(c.getInt("max-in-flight"), c.getInt("max-partitions"), (int) c.getBytes("max-bytes").longValue());
    }
  }

  /** What was sent so far (requests, and the writes they carried), and how many writes wait now. */
  public record Stats(long requests, long writes, int waiting) {}

  /** Per value, Cassandra counts a cell's timestamp, TTL and deletion time next to its bytes. */
  private static final int CELL_OVERHEAD = 16;
  private static final int ROW_OVERHEAD = 32;

  private final Function<Statement<?>, CompletionStage<Done>> send;
  private final Settings settings;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  /** The estimated bytes of the writes waiting. */
  private int waitingBytes;
  private int inFlight;
  private long requests;
  private long writes;

  /** Sends through {@code send} (the session's executeWrite; tests pass their own). */
  public WriteCoalescer(Function<Statement<?>, CompletionStage<Done>> send, Settings settings) {
    this.send = send;
    this.settings = settings;
  }

  public static WriteCoalescer of(CassandraSession session, Settings settings) {
    return new WriteCoalescer(session::executeWrite, settings);
  }

  private record Pending(Statement<?> statement, List<BatchableStatement<?>> parts, Set<ByteBuffer> partitions, int bytes,
      CompletableFuture<Done> done) {}

  /** Writes one partition's statement or single-partition batch; completes when it is stored. */
  public CompletionStage<Done> write(Statement<?> onePartition) {
    Pending p = pending(onePartition);
    if (p.partitions() == null) {
      synchronized (this) {
        requests++;
        writes++;
      }
      return send.apply(onePartition);
    }
    List<List<Pending>> next;
    synchronized (this) {
      waiting.add(p);
      waitingBytes += p.bytes();
      next = takeReady();
    }
    for (List<Pending> request : next) dispatch(request);
    return p.done();
  }

  /** The requests that may go out now; called with the lock held. */
  private List<List<Pending>> takeReady() {
    List<List<Pending>> out = List.of();
    while (!waiting.isEmpty() && inFlight < settings.maxInFlight() && (inFlight == 0 || fullRequestWaiting())) {
      if (out.isEmpty()) out = new ArrayList<>(1);
      out.add(takeRequest());
    }
    return out;
  }

  private boolean fullRequestWaiting() {
    return waiting.size() >= settings.maxPartitions() || waitingBytes >= settings.maxBytes();
  }

  public synchronized Stats stats() {
    return new Stats(requests, writes, waiting.size());
  }

  /** The next request's writes, oldest first; called with the lock held and the queue non-empty. */
  private List<Pending> takeRequest() {
    List<Pending> out = new ArrayList<>();
    Set<ByteBuffer> partitions = new HashSet<>();
    int bytes = 0;
    while (!waiting.isEmpty()) {
      Pending p = waiting.peek();
      if (!out.isEmpty()) {
        boolean fits = partitions.size() + p.partitions().size() <= settings.maxPartitions()
            && bytes + p.bytes() <= settings.maxBytes();
        boolean shared = false;
        for (ByteBuffer k : p.partitions()) shared |= partitions.contains(k);
        // Stop at the first write that does not fit: later writes wait their turn, so writes
        // leave in the order they came.
        if (!fits || shared) break;
      }
      waiting.poll();
      waitingBytes -= p.bytes();
      out.add(p);
      partitions.addAll(p.partitions());
      bytes += p.bytes();
    }
    inFlight++;
    requests++;
    writes += out.size();
    return out;
  }

  private void dispatch(List<Pending> request) {
    CompletionStage<Done> sent;
    try {
      sent = send.apply(request.size() == 1 ? request.get(0).statement() : batchOf(request));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((done, failure) -> {
      List<List<Pending>> next;
      synchronized (this) {
        inFlight--;
        next = takeReady();
      }
      for (Pending p : request) {
        if (failure != null) p.done().completeExceptionally(failure);
        else p.done().complete(Done.getInstance());
      }
      for (List<Pending> n : next) dispatch(n);
    });
  }

  private static BatchStatement batchOf(List<Pending> request) {
    BatchStatementBuilder b = BatchStatement.builder(BatchType.UNLOGGED);
    for (Pending p : request) b.addStatements(p.parts());
    Statement<?> first = request.get(0).statement();
    if (first.getExecutionProfileName() != null) b.setExecutionProfileName(first.getExecutionProfileName());
    if (first.getConsistencyLevel() != null) b.setConsistencyLevel(first.getConsistencyLevel());
    return b.build();
  }

  /** The write with its statements, partitions and estimated size; partitions null: send alone. */
  private Pending pending(Statement<?> s) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    List<BatchableStatement<?>> parts = new ArrayList<>();
    if (s instanceof BatchStatement batch) {
      // A counter batch cannot be merged with plain writes; one with conditions is a transaction.
      if (batch.getBatchType() == BatchType.COUNTER) return new Pending(s, parts, null, 0, done);
      for (BatchableStatement<?> child : batch) parts.add(child);
    } else if (s instanceof BatchableStatement<?> single) {
      parts.add(single);
    } else {
      return new Pending(s, parts, null, 0, done);
    }
    Set<ByteBuffer> partitions = new HashSet<>();
    int bytes = 0;
    for (BatchableStatement<?> part : parts) {
      ByteBuffer key = part.getRoutingKey();
      if (key == null || conditional(part)) return new Pending(s, parts, null, 0, done);
      partitions.add(key);
      bytes += estimate(part);
    }
    if (partitions.size() != 1 || bytes > settings.maxBytes()) return new Pending(s, parts, null, 0, done);
    return new Pending(s, parts, partitions, bytes, done);
  }

  private static boolean conditional(BatchableStatement<?> s) {
    // Our CQL is upper case; a lightweight transaction cannot share a batch with other partitions.
    String cql = s instanceof BoundStatement b ? b.getPreparedStatement().getQuery()
        : s instanceof SimpleStatement ss ? ss.getQuery() : "";
    return cql.contains(" IF ");
  }

  /** Roughly the size Cassandra gives the rows (its batch size check counts cells, not requests). */
  private static int estimate(BatchableStatement<?> s) {
    int bytes = ROW_OVERHEAD;
    if (s instanceof BoundStatement b) {
      for (ByteBuffer v : b.getValues()) bytes += CELL_OVERHEAD + (v == null ? 0 : v.remaining());
    } else if (s instanceof SimpleStatement ss) {
      bytes += ss.getQuery().length() + CELL_OVERHEAD * ss.getPositionalValues().size();
    }
    return bytes;
  }
}
