package com.creditwallet.wallet.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * The deterministic order in which a reservation draws from grants. Ties always fall back to the
 * oldest grant (issue order), so replays and retries pick the same grants.
 */
public enum ConsumptionOrder {
  /**
   * Priority first (the operator's explicit override), then soonest expiry, never-expiring last:
   * spends what would otherwise be lost.
   */
  EXPIRING_FIRST,
  /**
   * Seed 001's rule: every never-expiring grant before any expiring one, whatever their
   * priorities ("you need to use non-expiring credits first"). Priority orders grants only within
   * each group; expiring grants then go by soonest expiry.
   */
  NON_EXPIRING_FIRST;

  private static final Comparator<Instant> SOONEST_NULL_LAST =
      Comparator.nullsLast(Comparator.naturalOrder());

  private static final Comparator<Grant> BY_PRIORITY = Comparator.comparingInt(Grant::priority);

  private static final Comparator<Grant> BY_EXPIRY = Comparator.comparing(Grant::expiresAt, SOONEST_NULL_LAST);

  public Comparator<Grant> comparator() {
    Comparator<Grant> order =
        switch (this) {
          case EXPIRING_FIRST -> BY_PRIORITY.thenComparing(BY_EXPIRY);
          case NON_EXPIRING_FIRST -> Comparator.<Grant, Boolean>comparing(g -> g.expiresAt() != null)
              .thenComparing(BY_PRIORITY)
              .thenComparing(BY_EXPIRY);
        };
    return order.thenComparingLong(Grant::issueSeq);
  }
}
