package com.creditwallet.wallet.domain;

/** HELD is the only live state; the other three are final. */
public enum ReservationStatus {
  HELD,
  COMMITTED,
  RELEASED,
  EXPIRED
}
