package com.creditwallet.wakeup;

import com.creditwallet.cassandra.Prepared;
import com.creditwallet.wallet.WalletEntity;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes wallets whose deadline has come, whether or not they are in memory. One poller per shard
 * of {@code wallet_wakeups_by_time} ({@link WakeupLayout}), run as a sharded daemon process so
 * each shard is polled by one node and moves when nodes come and go.
 *
 * <p>Nothing is deleted: a poller keeps a cursor (every row due up to it has been acknowledged by
 * its wallet) and saves it in {@code wallet_wakeup_progress} every few seconds, so a poller that
 * moves to another node, or a cluster that was down, carries on where it was and catches up on
 * everything that fell due meanwhile (as long as rows live: {@code keep-after-due}). Each round
 * reads from a little before the cursor ({@link #OVERLAP}), so that a row written just as its
 * deadline passed is still found; rows woken recently are remembered and not woken again. A
 * wallet whose wake-up fails holds the cursor back and is tried again next round (at least once:
 * a wallet woken twice simply finds nothing due the second time); after {@link #MAX_ATTEMPTS}
 * failed rounds it is logged and skipped, so one broken wallet cannot stall its whole shard.
 */
public final class WakeupPoller {
  private static final Logger log = LoggerFactory.getLogger(WakeupPoller.class);

  /** The poller's own messages; they never leave the node. */
  public sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private record Started(Instant cursor) implements Msg {}

  private record RoundDone(Instant cursor, Throwable failure) implements Msg {}

  static final Duration OVERLAP = Duration.ofSeconds(5);
  private static final int MAX_BUCKETS_PER_ROUND = 60;
  private static final int PARALLEL_WAKEUPS = 100;
  private static final int MAX_ATTEMPTS = 30;
  private static final Duration SAVE_EVERY = Duration.ofSeconds(5);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final int shard;
  private final WakeupLayout layout;
  private final Duration firstLookback;
  private final CassandraSession session;
  private final Statements statements;
  private final Clock clock;
  private final Function<String, EntityRef<WalletEntity.Command>> wallets;
  private final WakeLimiter limiter;
  /** Rows woken recently ("wakeAt|walletId" to wakeAt), so the overlap does not wake them again. */
  private final Map<String, Instant> recent = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private Instant saved;

  private record Statements(
      Prepared due,
      Prepared loadProgress,
      Prepared saveProgress) {}

  private WakeupPoller(int shard, WakeupLayout layout, Duration firstLookback, CassandraSession session,
      Statements statements, Clock clock, Function<String, EntityRef<WalletEntity.Command>> wallets,
      WakeLimiter limiter) {
    this.shard = shard;
    this.layout = layout;
    this.firstLookback = firstLookback;
    this.session = session;
    this.statements = statements;
    this.clock = clock;
    this.wallets = wallets;
    this.limiter = limiter;
  }

  /**
   * Starts the pollers (one per shard of the layout) on this node's share of the cluster.
   * {@code firstLookback}: how far back a shard that never saved progress starts (a new keyspace).
   */
  public static void init(
      ActorSystem<?> system,
      String keyspace,
      WakeupLayout layout,
      Duration interval,
      Duration firstLookback,
      Clock clock,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    CassandraSession session =
        CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    Statements statements = new Statements(
        new Prepared(session, "SELECT wake_at, wallet_id FROM " + keyspace + ".wallet_wakeups_by_time"
            + " WHERE bucket = ? AND shard = ? AND wake_at > ? AND wake_at <= ?"),
        new Prepared(session, "SELECT done_until FROM " + keyspace + ".wallet_wakeup_progress WHERE shard = ?"),
        new Prepared(session, "INSERT INTO " + keyspace + ".wallet_wakeup_progress (shard, done_until) VALUES (?, ?)"));
    ShardedDaemonProcess.get(system).init(Msg.class, "wallet-wakeups", layout.shards(),
        shard -> new WakeupPoller(shard, layout, firstLookback, session, statements, clock, wallets,
            WakeLimiter.get(system)).behavior(interval));
  }

  /** Loads the cursor, then polls; rounds never overlap (the next waits one interval after). */
  private Behavior<Msg> behavior(Duration interval) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      ctx.pipeToSelf(loadCursor(), (cursor, failure) -> {
        if (failure != null) log.warn("wake-up shard {}: could not read its progress, starting {} back: {}",
            shard, firstLookback, failure.toString());
        return new Started(cursor != null ? cursor : clock.instant().minus(firstLookback));
      });
      return Behaviors.receive(Msg.class)
          .onMessage(Started.class, started -> {
            timers.startSingleTimer(Tick.INSTANCE, Duration.ZERO);
            return polling(started.cursor(), interval, timers, ctx);
          })
          .build();
    }));
  }

  private Behavior<Msg> polling(
      Instant cursor, Duration interval,
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Msg> timers,
      org.apache.pekko.actor.typed.javadsl.ActorContext<Msg> ctx) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          ctx.pipeToSelf(round(cursor), (next, failure) -> new RoundDone(next, failure));
          return Behaviors.same();
        })
        .onMessage(RoundDone.class, done -> {
          if (done.failure() != null) log.warn("wake-up poll of shard {} failed: {}", shard, done.failure().toString());
          timers.startSingleTimer(Tick.INSTANCE, interval);
          return polling(done.cursor() != null ? done.cursor() : cursor, interval, timers, ctx);
        })
        .build();
  }

  private CompletionStage<Instant> loadCursor() {
    return statements.loadProgress().get()
        .thenCompose(ps -> session.selectOne(ps.bind(shard)))
        .thenApply(row -> row.map(r -> r.getInstant("done_until")).orElse(null))
        .thenApply(c -> {
          saved = c;
          return c;
        });
  }

  /** Reads what is due after the cursor (minus the overlap), wakes it, returns the new cursor. */
  private CompletionStage<Instant> round(Instant cursor) {
    Instant now = clock.instant();
    Instant from = cursor.minus(OVERLAP);
    List<Instant> buckets = layout.buckets(from, now);
    Instant upTo = now;
    if (buckets.size() > MAX_BUCKETS_PER_ROUND) {
      // Catching up after downtime: a bounded slice per round, oldest first.
      buckets = buckets.subList(0, MAX_BUCKETS_PER_ROUND);
      upTo = buckets.get(buckets.size() - 1).plus(layout.bucket()).minusMillis(1);
    }
    Instant end = upTo;
    CompletionStage<List<Row>> rows = CompletableFuture.completedFuture(new ArrayList<>());
    for (Instant bucket : buckets) {
      rows = rows.thenCompose(all -> statements.due().get()
          .thenCompose(ps -> session.selectAll(ps.bind(bucket, shard, from, end)))
          .thenApply(more -> {
            all.addAll(more);
            return all;
          }));
    }
    return rows.thenCompose(found -> wakeAll(found, end)).thenCompose(this::save);
  }

  /** One row: a wallet to wake, and the deadline it was indexed for. */
  private record Due(String walletId, Instant at) {
    String key() {
      return at.toEpochMilli() + "|" + walletId;
    }
  }

  /**
   * Wakes every row not woken recently, a bounded number at a time (and fewer when the node's
   * other pollers are busy too: {@link WakeLimiter}); returns the new cursor.
   */
  private CompletionStage<Instant> wakeAll(List<Row> rows, Instant upTo) {
    List<Due> todo = new ArrayList<>();
    for (Row row : rows) {
      Due due = new Due(row.getString("wallet_id"), row.getInstant("wake_at"));
      if (!recent.containsKey(due.key())) todo.add(due);
    }
    Set<Due> failed = ConcurrentHashMap.newKeySet();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < todo.size(); i += PARALLEL_WAKEUPS) {
      List<Due> chunk = todo.subList(i, Math.min(todo.size(), i + PARALLEL_WAKEUPS));
      chain = chain.thenCompose(v -> CompletableFuture.allOf(chunk.stream().map(due ->
          limiter.submit(() -> wallets.apply(due.walletId()).<Done>ask(WalletEntity.WakeUp::new, ASK_TIMEOUT))
              .handle((ack, failure) -> failure == null || !failed.add(due))
              .toCompletableFuture()).toArray(CompletableFuture[]::new)));
    }
    return chain.thenApply(v -> advance(todo, failed, upTo));
  }

  /**
   * The new cursor: {@code upTo}, or just before the earliest wake-up that failed. Runs on the
   * round's future; rounds never overlap, so the maps are never used by two at once.
   */
  private Instant advance(List<Due> woken, Set<Due> failed, Instant upTo) {
    Instant next = upTo;
    for (Due due : woken) {
      if (!failed.contains(due)) {
        recent.put(due.key(), due.at());
        attempts.remove(due.key());
      }
    }
    for (Due due : failed) {
      int n = attempts.merge(due.key(), 1, Integer::sum);
      if (n >= MAX_ATTEMPTS) {
        log.error("wake-up shard {}: waking wallet {} for {} failed {} times; skipping it", shard, due.walletId(), due.at(), n);
        attempts.remove(due.key());
        recent.put(due.key(), due.at());
      } else if (due.at().minusMillis(1).isBefore(next)) {
        next = due.at().minusMillis(1);
      }
    }
    Instant forget = next.minus(OVERLAP);
    recent.values().removeIf(at -> at.isBefore(forget));
    return next;
  }

  private CompletionStage<Instant> save(Instant cursor) {
    if (saved != null && Duration.between(saved, cursor).compareTo(SAVE_EVERY) < 0) {
      return CompletableFuture.completedFuture(cursor);
    }
    return statements.saveProgress().get()
        .thenCompose(ps -> session.executeWrite(ps.bind(shard, cursor)))
        .thenApply(done -> {
          saved = cursor;
          return cursor;
        });
  }
}
