package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;

/**
 * Running counters of one category, the two sides of the audit equation
 * granted + refunded + metered = available + held + committed + expired ({@code metered}: what
 * unlimited categories spent without any grant; 0 elsewhere). Overdraft use is tracked apart:
 * credits held from the overdraft, and committed overdraft not yet repaid by a later grant.
 */
public record CategoryTotals(
    long granted,
    long refunded,
    long held,
    long committed,
    long expired,
    long overdraftHeld,
    long overdraftDebt,
    long metered)
    implements CborSerializable {

  public static final CategoryTotals ZERO = new CategoryTotals(0, 0, 0, 0, 0, 0, 0, 0);

  public CategoryTotals plus(
      long dGranted, long dRefunded, long dHeld, long dCommitted, long dExpired, long dOdHeld,
      long dOdDebt) {
    return new CategoryTotals(
        Math.addExact(granted, dGranted),
        Math.addExact(refunded, dRefunded),
        Math.addExact(held, dHeld),
        Math.addExact(committed, dCommitted),
        Math.addExact(expired, dExpired),
        Math.addExact(overdraftHeld, dOdHeld),
        Math.addExact(overdraftDebt, dOdDebt),
        metered);
  }

  /** Credits drawn from an unlimited category (net of releases and refunds). */
  public CategoryTotals plusMetered(long d) {
    return new CategoryTotals(granted, refunded, held, committed, expired, overdraftHeld, overdraftDebt, Math.addExact(metered, d));
  }
}
