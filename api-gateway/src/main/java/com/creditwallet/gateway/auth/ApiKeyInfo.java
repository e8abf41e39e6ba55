package com.creditwallet.gateway.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** An account key as listings show it: everything but the secret (and its hash). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiKeyInfo(String keyId, String walletId, String name, Instant createdAt, Instant revokedAt) {}
