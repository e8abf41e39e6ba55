package com.creditwallet.wallet.domain;

/** A HOLD waits for commit or release; a DEBIT is reserved and committed in one step. */
public enum ReservationKind {
  HOLD,
  DEBIT
}
