package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A grant exactly as asked for. It is kept with the grant so that a retry with the same grantId
 * can be told apart from a different request that reuses the id. At most one of expiresAt,
 * expiresOn and validFor is set; none means the credits never expire.
 */
public record GrantRequest(
    String grantId,
    String category,
    long amount,
    GrantSource source,
    Instant expiresAt,
    LocalDate expiresOn,
    String validFor,
    int priority,
    boolean extendExisting)
    implements CborSerializable {

  /** The request in one canonical string: what a grant remembers of it for idempotent retries. */
  public String fingerprint() {
    return String.join("|", grantId, category, Long.toString(amount), String.valueOf(source),
        String.valueOf(expiresAt), String.valueOf(expiresOn), String.valueOf(validFor),
        Integer.toString(priority), Boolean.toString(extendExisting));
  }
}
