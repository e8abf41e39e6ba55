package com.creditwallet.flow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds the asks a node has in flight for one purpose, gives turns in arrival order, and lets
 * an ask wait for its turn only until a deadline, if it has one.
 *
 * <p>Why: an ask to a wallet that is not in memory starts a recovery, and a node recovers only so
 * many per second. Four batches of 1,000 cold wallets put 4,000 recoveries in line at once; most
 * asks timed out while their recovery went on, the client retried, and by then the wallet had
 * often been passivated again to make room, so it was recovered a second time (31 reservations/s
 * where recoveries alone run at over 100/s). With a bound, an ask starts only when it can finish
 * in time, and one that cannot get a turn before its batch's deadline answers 503 at once, having
 * cost nothing ({@code POST /v1/batch}). Background work (wake-ups, archive writes) waits without a
 * deadline instead ({@link TaskLimiter}).
 */
public final class Admission {
  /** An ask that did not get a turn before its deadline: nothing was sent to the wallet. */
  public static final class Busy extends TimeoutException {
    Busy() {
      super("no turn for a wallet ask before the batch's deadline");
    }

    /** Expected under overload, one per refused item: its stack trace would say nothing. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);

  private final int maxInFlight;
  private int inFlight;
  /** Waiting asks, oldest first; an entry that timed out stays until a release skips it. */
  private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();

  public Admission(int maxInFlight) {
    if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    this.maxInFlight = maxInFlight;
  }

  /**
   * Completes when the ask may go (the caller must then {@link #release} once it is answered or
   * failed), or fails with {@link Busy} after {@code maxWait}. Turns are given in arrival order.
   */
  public CompletableFuture<Void> acquire(Duration maxWait) {
    return take(maxWait);
  }

  /** Completes when the ask may go, however long that takes; then {@link #release} as above. */
  public CompletableFuture<Void> acquire() {
    return take(null);
  }

  private synchronized CompletableFuture<Void> take(Duration maxWait) {
    while (!waiting.isEmpty() && waiting.peek().isDone()) waiting.poll();
    if (inFlight < maxInFlight && waiting.isEmpty()) {
      inFlight++;
      return NOW;
    }
    CompletableFuture<Void> turn = new CompletableFuture<>();
    if (maxWait == null) {
      waiting.add(turn);
      return turn;
    }
    if (maxWait.isNegative() || maxWait.isZero()) {
      turn.completeExceptionally(new Busy());
      return turn;
    }
    waiting.add(turn);
    CompletableFuture.delayedExecutor(maxWait.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
      if (!turn.isDone()) turn.completeExceptionally(new Busy());
    });
    return turn;
  }

  /** Hands the turn to the oldest ask still waiting, or frees it. */
  public void release() {
    while (true) {
      CompletableFuture<Void> next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          inFlight--;
          return;
        }
      }
      // Completed outside the lock: the ask it starts runs on this thread. False when that ask
      // has already given up waiting; then the turn goes to the next one.
      if (next.complete(null)) return;
    }
  }

  /** Asks in flight now (for tests and metrics). */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Asks in flight or waiting (a waiting one that gave up counts until a release skips it). */
  public synchronized int pending() {
    return inFlight + waiting.size();
  }
}
