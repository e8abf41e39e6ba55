package com.creditwallet.flow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs at most a fixed number of asynchronous tasks at once; the others wait their turn, in
 * order, and are started only when one finishes (failed or not). For background work that comes
 * in waves (wake-ups, archive writes): without a bound, a node with a thousand wallets due at once
 * puts thousands of requests in Cassandra's queue, and every client request waits behind them.
 * A task that waits has not started: its own timeouts, and whatever it builds, begin with its turn.
 */
public class TaskLimiter {
  private final Admission admission;
  private final Executor executor;

  /** {@code executor} starts the tasks that waited (never on the thread that finished another). */
  public TaskLimiter(int max, Executor executor) {
    this.admission = new Admission(max);
    this.executor = executor;
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
