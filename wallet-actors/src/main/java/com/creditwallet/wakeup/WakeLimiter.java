package com.creditwallet.wakeup;

import com.creditwallet.flow.Admission;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Bounds the wallets a node wakes at once on behalf of its background work (deadlines, grant
 * alerts, the ledger-feed sweeper); the rest wait their turn, in order. A wake-up of a wallet that
 * is not in memory is a recovery plus a write, several Cassandra round trips: 32 deadline pollers
 * waking 100 wallets each at once flooded a one-node cluster with 3,200 recoveries when a
 * million 15-minute holds began to expire, every wake-up timed out and was tried again, and
 * reservations fell from 500 to 10 a second. Waiting here instead, a wake-up's own timeout starts
 * only when it is sent. {@code wallet.wakeups.max-in-flight} per node.
 */
public final class WakeLimiter implements Extension {
  private static final ExtensionId<WakeLimiter> ID = new ExtensionId<>() {
    @Override
    public WakeLimiter createExtension(ActorSystem<?> system) {
      return new WakeLimiter(system.settings().config().getInt("wallet.wakeups.max-in-flight"),
          system.executionContext());
    }
  };

  private final Admission admission;
  private final Executor executor;

  /** {@code executor} starts the tasks that waited (never on the thread that finished another). */
  public WakeLimiter(int max, Executor executor) {
    this.admission = new Admission(max);
    this.executor = executor;
  }

  /** The node's limiter. */
  public static WakeLimiter get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Starts {@code task} now if fewer than the limit are running, otherwise once one finishes. */
  public <T> CompletionStage<T> submit(Supplier<? extends CompletionStage<T>> task) {
    CompletableFuture<Void> turn = admission.acquire();
    CompletableFuture<T> result = turn.isDone()
        ? turn.thenCompose(v -> task.get())
        : turn.thenComposeAsync(v -> task.get(), executor);
    return result.whenComplete((value, failure) -> admission.release());
  }

  /** Tasks running or waiting (for tests and metrics). */
  public int pending() {
    return admission.pending();
  }
}
