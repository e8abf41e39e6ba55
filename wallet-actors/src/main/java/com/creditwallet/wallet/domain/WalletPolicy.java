package com.creditwallet.wallet.domain;

import java.time.Duration;

/**
 * Service-wide rules that come from configuration rather than from a wallet.
 *
 * <ul>
 *   <li>{@code topupMin}/{@code topupMax}: per-transaction bounds of TOPUP grants (seed 003).
 *   <li>{@code reservationRetention}: how long finished reservations (and so their ids) are
 *       remembered, in memory and then in the archive, for retries and late refunds (bounces).
 *   <li>{@code recentWindow}/{@code recentMax}: finished reservations stay in memory this long,
 *       and at most this many, before they move to the archive: memory and snapshots stay
 *       bounded by what is open, whatever the wallet's history.
 *   <li>{@code maxOpenHolds}: open holds per wallet (409 TOO_MANY_OPEN_HOLDS beyond).
 *   <li>{@code maxEventsPerWrite}: a journal write never carries more (catch-up after a long
 *       downtime goes in several bounded writes).
 * </ul>
 */
public record WalletPolicy(
    long topupMin,
    long topupMax,
    Duration reservationRetention,
    Duration recentWindow,
    int recentMax,
    int maxOpenHolds,
    int maxEventsPerWrite) {

  public static final WalletPolicy DEFAULTS =
      new WalletPolicy(100, 100_000, Duration.ofDays(35), Duration.ofMinutes(10), 1_000, 100_000, 200);

  public WalletPolicy(long topupMin, long topupMax, Duration reservationRetention) {
    this(topupMin, topupMax, reservationRetention, DEFAULTS.recentWindow, DEFAULTS.recentMax,
        DEFAULTS.maxOpenHolds, DEFAULTS.maxEventsPerWrite);
  }

  /**
   * An exhausted or expired grant is forgotten this long after it was last touched: by then every
   * reservation that drew from it has left the archive too, so no refund can flow back into it.
   */
  public Duration forgetGrantsAfter() {
    return reservationRetention.plus(recentWindow);
  }

  public WalletPolicy withRecent(Duration window, int max) {
    return new WalletPolicy(topupMin, topupMax, reservationRetention, window, max, maxOpenHolds, maxEventsPerWrite);
  }

  public WalletPolicy withLimits(int openHolds, int eventsPerWrite) {
    return new WalletPolicy(topupMin, topupMax, reservationRetention, recentWindow, recentMax, openHolds, eventsPerWrite);
  }
}
