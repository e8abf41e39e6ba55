package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;

/**
 * Running counters of one category, the two sides of the audit equation
 * granted + refunded = available + held + committed + expired. Overdraft use is tracked apart:
 * credits held from the overdraft, and committed overdraft not yet repaid by a later grant.
 */
public record CategoryTotals(
    long granted,
    long refunded,
    long held,
    long committed,
    long expired,
    long overdraftHeld,
    long overdraftDebt)
    implements CborSerializable {

  public static final CategoryTotals ZERO = new CategoryTotals(0, 0, 0, 0, 0, 0, 0);

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
        Math.addExact(overdraftDebt, dOdDebt));
  }
}
