package com.creditwallet.wallet.domain;

/** Where a lot of credits came from; reports and plan resets depend on it. */
public enum GrantSource {
  PLAN,
  ROLLOVER,
  TOPUP,
  PACKAGE,
  TRIAL,
  PROMO,
  ADJUSTMENT
}
