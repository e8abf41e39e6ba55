package com.creditwallet.wakeup;

import java.time.Instant;

/**
 * Where a wallet leaves its next deadline so that it is woken on time even after it was
 * passivated (or its node died) and no request comes. In-memory timers cover live wallets; this
 * covers the rest.
 */
public interface WakeupIndex {
  /** Asks to wake {@code walletId} at {@code at}. Best effort and idempotent; may be repeated. */
  void schedule(String walletId, Instant at);

  /** For entity unit tests, which have no Cassandra. */
  WakeupIndex NONE = (walletId, at) -> {};
}
