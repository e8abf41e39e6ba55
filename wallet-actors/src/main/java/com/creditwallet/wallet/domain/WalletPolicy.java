package com.creditwallet.wallet.domain;

import java.time.Duration;

/**
 * Service-wide rules that come from configuration rather than from a wallet: top-up bounds per
 * transaction (seed 003: 100 to 100,000) and how long finished reservations are remembered for
 * idempotent retries and refunds.
 */
public record WalletPolicy(long topupMin, long topupMax, Duration reservationRetention) {
  public static final WalletPolicy DEFAULTS =
      new WalletPolicy(100, 100_000, Duration.ofHours(72));
}
