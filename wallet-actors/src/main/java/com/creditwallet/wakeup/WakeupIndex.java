package com.creditwallet.wakeup;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a wallet leaves its next deadline so that it is woken on time even after it was
 * passivated (or its node died) and no request comes. In-memory timers cover live wallets; this
 * covers the rest.
 */
public interface WakeupIndex {
  /**
   * Asks to wake {@code walletId} at {@code at}; idempotent, may be repeated. Completes with the
   * instant actually indexed (earlier than {@code at} when that is very far ahead) once durably
   * written, or fails: the wallet then must not count on it and tries again.
   */
  CompletionStage<Instant> schedule(String walletId, Instant at);

  /** For entity unit tests, which have no Cassandra. */
  WakeupIndex NONE = (walletId, at) -> CompletableFuture.completedFuture(at);
}
