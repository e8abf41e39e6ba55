package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;

/**
 * A lot of credits. {@code remaining} is what is still spendable; credits drawn into a hold are
 * no longer remaining but still belong to the grant (see {@link Draw}). {@code issueSeq} is the
 * wallet-local issue order, the final tie-breaker of every consumption order.
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
    GrantRequest request)
    implements CborSerializable {

  public Grant withRemaining(long newRemaining) {
    return new Grant(
        grantId, category, source, amount, newRemaining, priority, expiresAt, issuedAt, issueSeq,
        expired, request);
  }

  public Grant withExpiresAt(Instant newExpiresAt) {
    return new Grant(
        grantId, category, source, amount, remaining, priority, newExpiresAt, issuedAt, issueSeq,
        expired, request);
  }

  public Grant markExpired() {
    return new Grant(
        grantId, category, source, amount, 0, priority, expiresAt, issuedAt, issueSeq, true,
        request);
  }
}
