package com.creditwallet.wallet.domain;

/** SUSPENDED and TRIAL_EXPIRED wallets accept no new reservation; settling old ones still works. */
public enum WalletStatus {
  ACTIVE,
  TRIAL,
  TRIAL_EXPIRED,
  SUSPENDED;

  public boolean acceptsNewSpending() {
    return this == ACTIVE || this == TRIAL;
  }
}
