package com.creditwallet.ledger;

/**
 * What the ledger lines of a commit, release or refund take from their reservation: only its
 * CreditsReserved event names the sub-budget, reference and operation. {@link #UNKNOWN} when
 * the reservation was projected before this table existed.
 */
public record ReservationInfo(String subBudget, String reference, String operation) {
  public static final ReservationInfo UNKNOWN = new ReservationInfo(null, null, null);
}
