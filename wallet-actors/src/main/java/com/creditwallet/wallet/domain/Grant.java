package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;

/**
 * A lot of credits. {@code remaining} is what is still spendable; credits drawn into a hold are
 * no longer remaining but still belong to the grant (see {@link Draw}). {@code issueSeq} is the
 * wallet-local issue order, the final tie-breaker of every consumption order. {@code fingerprint}
 * is the client's request in canonical form (null for system grants), for idempotent retries.
 * {@code touchedAt}: the last time credits left or could flow back into it (issue, draw, commit,
 * release, refund, expiry); an exhausted or expired grant is forgotten a retention after that.
 */
public record Grant(
    String grantId,
    String category,
    GrantSource source,
    long amount,
    long remaining,
    int priority,
    Instant expiresAt,
    Instant issuedAt,
    long issueSeq,
    boolean expired,
    String fingerprint,
    Instant touchedAt)
    implements CborSerializable {

  public Grant withRemaining(long newRemaining, Instant at) {
    return new Grant(grantId, category, source, amount, newRemaining, priority, expiresAt, issuedAt, issueSeq,
        expired, fingerprint, later(at));
  }

  public Grant touched(Instant at) {
    return new Grant(grantId, category, source, amount, remaining, priority, expiresAt, issuedAt, issueSeq,
        expired, fingerprint, later(at));
  }

  public Grant withExpiresAt(Instant newExpiresAt) {
    return new Grant(grantId, category, source, amount, remaining, priority, newExpiresAt, issuedAt, issueSeq,
        expired, fingerprint, touchedAt);
  }

  public Grant markExpired(Instant at) {
    return new Grant(grantId, category, source, amount, 0, priority, expiresAt, issuedAt, issueSeq, true,
        fingerprint, later(at));
  }

  /** Issued by the service itself (plan, rollover, trial, refund credit), not asked for by a client. */
  public boolean issuedByService() {
    return fingerprint == null;
  }

  /** Nothing left to spend: a candidate to be forgotten once nothing can flow back. */
  public boolean spent() {
    return expired || remaining == 0;
  }

  private Instant later(Instant at) {
    return touchedAt == null || at.isAfter(touchedAt) ? at : touchedAt;
  }
}
