package com.creditwallet.wallet.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * An instant at which the wallet must act by itself: a hold's TTL, a grant's expiry, a cycle or
 * trial end; or, in the state's two other indexes, the moment a reservation finished (SETTLED: it
 * moves to the archive a recent window later) or a grant was last touched once spent (SPENT: it is
 * forgotten a retention later). Derived from the state, never stored: snapshots rebuild them.
 */
public record Deadline(Instant at, Kind kind, String id) implements Comparable<Deadline> {
  /**
   * Order matters at equal instants: holds return credits to their grants first, then the cycle
   * reset computes rollovers from the plan grants before their own expiry would zero them.
   */
  public enum Kind {
    HOLD,
    CYCLE,
    TRIAL,
    GRANT,
    SETTLED,
    SPENT
  }

  private static final Comparator<Deadline> ORDER =
      Comparator.comparing(Deadline::at)
          .thenComparing(Deadline::kind)
          .thenComparing(Deadline::id);

  @Override
  public int compareTo(Deadline o) {
    return ORDER.compare(this, o);
  }
}
