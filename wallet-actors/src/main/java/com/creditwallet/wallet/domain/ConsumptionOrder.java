package com.creditwallet.wallet.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * The deterministic order in which a reservation draws from grants. Priority always comes first
 * (it is the operator's explicit override); ties fall back to the oldest grant so replays and
 * retries always pick the same grants.
 */
public enum ConsumptionOrder {
  /** Soonest expiry first, never-expiring last: spends what would otherwise be lost. */
  EXPIRING_FIRST,
  /** Seed 001's rule: never-expiring credits first, then expiring ones by soonest expiry. */
  NON_EXPIRING_FIRST;

  private static final Comparator<Instant> SOONEST_NULL_LAST =
      Comparator.nullsLast(Comparator.naturalOrder());

  public Comparator<Grant> comparator() {
    Comparator<Grant> byPriority = Comparator.comparingInt(Grant::priority);
    Comparator<Grant> byExpiry =
        switch (this) {
          case EXPIRING_FIRST -> Comparator.comparing(Grant::expiresAt, SOONEST_NULL_LAST);
          case NON_EXPIRING_FIRST -> Comparator.<Grant, Boolean>comparing(g -> g.expiresAt() != null)
              .thenComparing(Grant::expiresAt, SOONEST_NULL_LAST);
        };
    return byPriority.thenComparing(byExpiry).thenComparingLong(Grant::issueSeq);
  }
}
