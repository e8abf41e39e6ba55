package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.WalletConfigured;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The wallet's own settings, and the checks every topic shares. The other rules live by topic:
 * {@link ReservationRules}, {@link GrantRules}, {@link PlanRules}, {@link SubBudgetRules},
 * {@link DeadlineRules}. Each rule reads {@link Decision#state()} and emits events into the
 * decision (none for an idempotent repeat), or throws a {@link Rejection} before emitting.
 */
public final class WalletRules {
  private WalletRules() {}

  /** Creates the wallet or changes its settings; no event when nothing changes. */
  public static List<WalletEvent> configure(Decision d, WalletSettings.SettingsUpdate update, Instant now) {
    WalletState s = d.state();
    if (update.timeZone() != null) {
      try {
        ZoneId.of(update.timeZone());
      } catch (DateTimeException e) {
        throw Rejection.invalid("timeZone", "is not a known time zone");
      }
    }
    requireCategoryAmounts("lowBalanceThresholds", update.lowBalanceThresholds());
    requireCategoryAmounts("overdraft", update.overdraft());
    WalletSettings merged = (s.exists() ? s.settings() : WalletSettings.DEFAULTS).merge(update);
    if (s.exists() && merged.equals(s.settings())) return List.of();
    return List.of(d.emit(WalletConfigured.of(now, merged)));
  }

  static Rejection statusRejection(WalletStatus status) {
    return switch (status) {
      case SUSPENDED -> new Rejection(Rejection.WALLET_SUSPENDED, "the wallet is suspended", Map.of());
      case TRIAL_EXPIRED -> new Rejection(
          Rejection.TRIAL_EXPIRED, "the trial has ended; subscribe to a plan to spend again", Map.of());
      default -> throw new IllegalArgumentException(status.name());
    };
  }

  /** A map of category to an amount from 0 to 10^12 (thresholds, overdrafts, allocations). */
  static void requireCategoryAmounts(String field, Map<String, Long> map) {
    if (map == null) return;
    map.forEach((c, v) -> {
      Validation.requireCategory(field + "." + c, c);
      if (v == null || v < 0 || v > Validation.MAX_AMOUNT) {
        throw Rejection.invalid(field + "." + c, "must be an integer from 0 to 10^12");
      }
    });
  }
}
