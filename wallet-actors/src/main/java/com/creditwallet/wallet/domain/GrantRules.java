package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Issuing grants: client top-ups, packages, promos and adjustments, and the system's own grants. */
public final class GrantRules {
  private GrantRules() {}

  public static List<WalletEvent> issueGrant(Decision d, GrantRequest r, Instant now) {
    WalletState s = d.state();
    WalletPolicy policy = d.policy();
    Validation.requireId("grantId", r.grantId());
    Validation.requireCategory("category", r.category());
    Validation.requireAmount("amount", r.amount());
    if (r.source() == null) throw Rejection.invalid("source", "is required");
    int expiryForms =
        (r.expiresAt() != null ? 1 : 0) + (r.expiresOn() != null ? 1 : 0) + (r.validFor() != null ? 1 : 0);
    if (expiryForms > 1) {
      throw Rejection.invalid("expiresAt", "give at most one of expiresAt, expiresOn and validFor");
    }
    if (r.extendExisting() && r.source() != GrantSource.PACKAGE) {
      throw Rejection.invalid("extendExisting", "applies to PACKAGE grants only");
    }
    Optional<Grant> existing = s.grant(r.grantId());
    if (existing.isPresent()) {
      if (r.fingerprint().equals(existing.get().fingerprint())) return List.of();
      throw Rejection.conflict("grantId " + r.grantId());
    }
    if (r.source() == GrantSource.TOPUP && (r.amount() < policy.topupMin() || r.amount() > policy.topupMax())) {
      throw new Rejection(
          Rejection.TOPUP_OUT_OF_BOUNDS,
          "a top-up must be between " + policy.topupMin() + " and " + policy.topupMax() + " credits",
          Map.of("field", "amount", "min", policy.topupMin(), "max", policy.topupMax()));
    }
    Instant expiresAt = resolveExpiry(r, s.settings().zone(), now);
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw Rejection.invalid(r.expiresOn() != null ? "expiresOn" : "expiresAt", "must be in the future");
    }
    List<String> extended = new ArrayList<>();
    if (r.extendExisting()) {
      for (Grant g : s.grants().values()) {
        boolean later = expiresAt == null || (g.expiresAt() != null && g.expiresAt().isBefore(expiresAt));
        if (g.source() == GrantSource.PACKAGE && !g.expired() && g.category().equals(r.category())
            && g.expiresAt() != null && later) {
          extended.add(g.grantId());
        }
      }
      extended.sort(String::compareTo);
    }
    return List.of(d.emit(issued(s, r.grantId(), r.category(), r.amount(), r.source(), r.priority(), now, expiresAt,
        List.copyOf(extended), r.fingerprint())));
  }

  /** A system grant (plan, trial, rollover); like every grant it pays back committed overdraft first. */
  static void systemGrant(Decision d, String grantId, String category, long amount, GrantSource source,
      Instant at, Instant expiresAt) {
    d.emit(issued(d.state(), grantId, category, amount, source, 0, at, expiresAt, List.of(), null));
  }

  private static GrantIssued issued(WalletState s, String grantId, String category, long amount, GrantSource source,
      int priority, Instant at, Instant expiresAt, List<String> extended, String fingerprint) {
    long repaid = Math.min(amount, s.totals(category).overdraftDebt());
    return new GrantIssued(at, grantId, category, source, amount, priority, expiresAt, s.grantSeq() + 1, repaid,
        extended, fingerprint, Map.of());
  }

  /**
   * expiresOn is the end of that day in the wallet's time zone (the start of the next day there,
   * so DST is handled by the zone rules); validFor is a period (calendar, in the wallet's zone)
   * or a duration from now.
   */
  static Instant resolveExpiry(GrantRequest r, ZoneId zone, Instant now) {
    if (r.expiresAt() != null) return r.expiresAt();
    if (r.expiresOn() != null) return r.expiresOn().plusDays(1).atStartOfDay(zone).toInstant();
    if (r.validFor() != null) {
      try {
        if (r.validFor().contains("T")) return now.plus(Duration.parse(r.validFor()));
        return now.atZone(zone).plus(Period.parse(r.validFor())).toInstant();
      } catch (DateTimeException | ArithmeticException e) {
        throw Rejection.invalid("validFor", "must be an ISO-8601 period or duration such as P2Y or PT1H");
      }
    }
    return null;
  }
}
