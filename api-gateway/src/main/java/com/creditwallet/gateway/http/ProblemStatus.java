package com.creditwallet.gateway.http;

import com.creditwallet.wallet.domain.Rejection;
import java.util.Map;

/**
 * The HTTP status of each rejection code. The wallet answers codes only (statuses belong to the
 * HTTP layer); this table is where the API contract's statuses live.
 */
public final class ProblemStatus {
  private static final Map<String, Integer> STATUS = Map.ofEntries(
      Map.entry(Rejection.INVALID_REQUEST, 400),
      Map.entry(Rejection.TOPUP_OUT_OF_BOUNDS, 400),
      Map.entry(Rejection.WALLET_SUSPENDED, 403),
      Map.entry(Rejection.TRIAL_EXPIRED, 403),
      Map.entry(Rejection.INSUFFICIENT_CREDITS, 409),
      Map.entry(Rejection.IDEMPOTENCY_CONFLICT, 409),
      Map.entry(Rejection.RESERVATION_RELEASED, 409),
      Map.entry(Rejection.RESERVATION_EXPIRED, 409),
      Map.entry(Rejection.RESERVATION_COMMITTED, 409),
      Map.entry(Rejection.REFUND_EXCEEDS_COMMITTED, 409),
      Map.entry(Rejection.SUB_BUDGET_EXHAUSTED, 409),
      Map.entry(Rejection.TRIAL_ALREADY_USED, 409),
      Map.entry(Rejection.TOO_MANY_OPEN_HOLDS, 409),
      Map.entry(Rejection.ARCHIVE_UNAVAILABLE, 503),
      Map.entry(Rejection.INTERNAL, 500));

  private ProblemStatus() {}

  /** The code's status; any {@code *_NOT_FOUND} is 404; an unknown code is a fault (500). */
  public static int of(String code) {
    Integer s = STATUS.get(code);
    if (s != null) return s;
    return code.endsWith("_NOT_FOUND") ? 404 : 500;
  }
}
