package com.creditwallet.gateway.auth;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code wallet.keys} config section (defaults and env vars in application.conf, documented
 * in the README's configuration table).
 */
public record KeySettings(
    double ratePerSecond,
    int burst,
    Duration pollInterval,
    PollWindow pollWindow,
    Duration planCheckTtl,
    double missLookupsPerSecond) {

  public static KeySettings from(Config c) {
    KeySettings s = new KeySettings(
        c.getDouble("rate"),
        c.getInt("burst"),
        c.getDuration("poll-interval"),
        new PollWindow(c.getDuration("poll-overlap"), c.getDuration("full-reload-every")),
        c.getDuration("plan-check-ttl"),
        c.getDouble("miss-lookups-per-second"));
    if (s.ratePerSecond > 0 && s.burst < 1) throw new IllegalArgumentException("wallet.keys.burst must be at least 1");
    if (s.pollInterval.isNegative() || s.pollInterval.isZero()) throw new IllegalArgumentException("wallet.keys.poll-interval must be positive");
    return s;
  }
}
