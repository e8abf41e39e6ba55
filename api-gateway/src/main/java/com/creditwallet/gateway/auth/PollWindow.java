package com.creditwallet.gateway.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * What the next key poll of a node reads, as a pure function of when its earlier rounds ran.
 *
 * <p>Changes are stamped with the clock of the node that made them, so a node reads back from
 * {@code overlap} before its last successful round began: a change whose stamp is up to
 * {@code overlap} behind (clock skew between nodes, a write that became visible late) is still
 * seen; reading it twice is harmless (merges are idempotent). A full reload of every key is done
 * at start, every {@code fullReloadEvery} as a safety net, and whenever the last successful round
 * is so old that the change log (kept 2 days) might have dropped what happened since.
 */
public record PollWindow(Duration overlap, Duration fullReloadEvery) {
  /** Past this gap since the last good round, changes may have left the log: reload everything. */
  static final Duration MAX_GAP = Duration.ofDays(1);

  /** A round to run: read every key first when {@code full}, then the changes after {@code since}. */
  public record Round(Instant start, boolean full, Instant since, Instant until) {}

  public Round next(Instant now, Instant lastGoodStart, Instant lastFullLoad) {
    boolean full = lastGoodStart == null || lastFullLoad == null
        || Duration.between(lastFullLoad, now).compareTo(fullReloadEvery) >= 0
        || Duration.between(lastGoodStart, now).compareTo(MAX_GAP) >= 0;
    Instant from = full ? now : lastGoodStart;
    // `until` reaches ahead too: a node whose clock is ahead of ours stamps changes in the future.
    return new Round(now, full, from.minus(overlap), now.plus(overlap));
  }
}
