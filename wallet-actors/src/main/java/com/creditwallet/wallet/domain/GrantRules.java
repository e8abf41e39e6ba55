package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import java.time.Instant;
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
    // The client's namespace: an id shaped like a service id is kept apart from the service's.
    String key = GrantIds.clientKey(r.grantId());
    Optional<Grant> existing = s.grant(key);
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
    return List.of(d.emit(issued(s, key, r.category(), r.amount(), r.source(), r.priority(), now, expiresAt,
        List.copyOf(extended), r.fingerprint())));
  }

  /**
   * A system grant (plan, trial, rollover); like every grant it pays back committed overdraft
   * first. It never replaces another grant: should its id be taken (only a journal written before
   * the namespaces were separate can hold a client grant under a service id), it gets a suffix.
   */
  static void systemGrant(Decision d, String grantId, String category, long amount, GrantSource source,
      Instant at, Instant expiresAt) {
    String key = grantId;
    for (int n = 2; d.state().grant(key).isPresent(); n++) key = grantId + "~" + n;
    d.emit(issued(d.state(), key, category, amount, source, 0, at, expiresAt, List.of(), null));
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
   * or a duration from now. Each is bounded ({@link TimeLimits}) and must lie in the future.
   */
  static Instant resolveExpiry(GrantRequest r, ZoneId zone, Instant now) {
    if (r.expiresAt() != null) {
      TimeLimits.requireExpiry("expiresAt", r.expiresAt(), now, zone);
      return r.expiresAt();
    }
    if (r.expiresOn() != null) return TimeLimits.expiresOn("expiresOn", r.expiresOn(), now, zone);
    if (r.validFor() != null) return TimeLimits.validFor("validFor", r.validFor(), now, zone);
    return null;
  }
}
