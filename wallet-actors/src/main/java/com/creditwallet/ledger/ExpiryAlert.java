package com.creditwallet.ledger;

import java.time.Instant;

/** A grant that expires at {@code expiresAt}: grant.expiring is due a lead time before. */
public record ExpiryAlert(String walletId, String grantId, Instant expiresAt) {}
