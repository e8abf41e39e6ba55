package com.creditwallet.gateway.auth;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Whether a wallet's plan allows API access ({@code features.apiAccess}, seed 004: only some
 * plans), remembered per wallet for a few seconds. The answer comes from the wallet itself (its
 * copy of the plan, see {@code PlanView.features}), an ask to an entity that is normally in
 * memory: so the check costs no store read, at most one ask per wallet per {@code ttl} per node,
 * and a plan change reaches every node's keys within {@code ttl}. Concurrent requests for the same
 * wallet share one ask.
 */
public final class PlanAccess {
  /** What the wallet said. */
  public enum Answer { ALLOWED, NOT_IN_PLAN, UNAVAILABLE }

  private record Entry(Answer answer, long at) {}

  private final Function<String, CompletionStage<Answer>> askWallet;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> known = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

  public PlanAccess(Function<String, CompletionStage<Answer>> askWallet, Duration ttl, LongSupplier nanoTime) {
    this.askWallet = askWallet;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The fresh answer if there is one (the common case: no future, no allocation), else null. */
  public Answer cached(String walletId) {
    Entry e = known.get(walletId);
    return e != null && nanoTime.getAsLong() - e.at < ttlNanos ? e.answer : null;
  }

  /** The answer, asking the wallet when the remembered one is missing or older than the ttl. */
  public CompletionStage<Answer> check(String walletId) {
    Answer fresh = cached(walletId);
    if (fresh != null) return CompletableFuture.completedFuture(fresh);
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> running = inFlight.putIfAbsent(walletId, mine);
    if (running != null) return running;
    askWallet.apply(walletId).whenComplete((answer, failure) -> {
      Answer a = failure != null || answer == null ? Answer.UNAVAILABLE : answer;
      // A failed ask is not remembered: the next request asks again.
      if (a != Answer.UNAVAILABLE) known.put(walletId, new Entry(a, nanoTime.getAsLong()));
      inFlight.remove(walletId, mine);
      mine.complete(a);
    });
    return mine;
  }
}
