package com.creditwallet.wakeup;

import com.creditwallet.wallet.WalletEntity;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Wakes wallets whose deadline has come, whether or not they are in memory. One poller per slice
 * of {@code wallet_wakeups}, run as a sharded daemon process so each slice is polled by exactly
 * one node and moves when nodes come and go. A row is deleted only after its wallet confirmed
 * the wake-up (at least once: a wallet woken twice simply finds nothing due the second time).
 */
public final class WakeupPoller {
  /** The poller's own messages; they never leave the node. */
  public sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private enum RoundDone implements Msg { INSTANCE }

  private static final int BATCH = 500;

  private final int slice;
  private final CassandraSession session;
  private final CompletionStage<PreparedStatement> due;
  private final CompletionStage<PreparedStatement> delete;
  private final Clock clock;
  private final Function<String, EntityRef<WalletEntity.Command>> wallets;

  private WakeupPoller(
      int slice,
      CassandraSession session,
      CompletionStage<PreparedStatement> due,
      CompletionStage<PreparedStatement> delete,
      Clock clock,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    this.slice = slice;
    this.session = session;
    this.due = due;
    this.delete = delete;
    this.clock = clock;
    this.wallets = wallets;
  }

  public static void init(
      ActorSystem<?> system,
      String keyspace,
      int slices,
      Duration interval,
      Clock clock,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    CassandraSession session =
        CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    CompletionStage<PreparedStatement> due = session.prepare(
        "SELECT wake_at, wallet_id FROM " + keyspace + ".wallet_wakeups WHERE slice = ? AND wake_at <= ? LIMIT " + BATCH);
    CompletionStage<PreparedStatement> delete = session.prepare(
        "DELETE FROM " + keyspace + ".wallet_wakeups WHERE slice = ? AND wake_at = ? AND wallet_id = ?");
    ShardedDaemonProcess.get(system).init(Msg.class, "wallet-wakeups", slices,
        slice -> new WakeupPoller(slice, session, due, delete, clock, wallets).behavior(interval));
  }

  /** Polls, waits for the round to finish, then waits one interval: rounds never overlap. */
  private Behavior<Msg> behavior(Duration interval) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      timers.startSingleTimer(Tick.INSTANCE, interval);
      return Behaviors.receive(Msg.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            ctx.pipeToSelf(round(), (done, failure) -> {
              if (failure != null) ctx.getLog().warn("wake-up poll of slice {} failed: {}", slice, failure.toString());
              return RoundDone.INSTANCE;
            });
            return Behaviors.same();
          })
          .onMessageEquals(RoundDone.INSTANCE, () -> {
            timers.startSingleTimer(Tick.INSTANCE, interval);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private CompletionStage<Done> round() {
    Instant now = clock.instant();
    return due.thenCompose(ps -> session.selectAll(ps.bind(slice, now))).thenCompose(this::wakeAll);
  }

  private CompletionStage<Done> wakeAll(List<Row> rows) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Row row : rows) {
      Instant at = row.getInstant("wake_at");
      String walletId = row.getString("wallet_id");
      all.add(wallets.apply(walletId)
          .<Done>ask(WalletEntity.WakeUp::new, Duration.ofSeconds(10))
          .thenCompose(ack -> delete)
          .thenCompose(ps -> session.executeWrite(ps.bind(slice, at, walletId)))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
  }
}
