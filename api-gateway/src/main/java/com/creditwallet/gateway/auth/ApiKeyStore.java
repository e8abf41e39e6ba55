package com.creditwallet.gateway.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where account keys live durably (hashes only). Reads happen off the hot path: when a key is
 * minted, listed or revoked, when a node polls for changes, and when a node meets a key id it has
 * not heard of yet. {@link CassandraApiKeyStore} is the real one.
 */
public interface ApiKeyStore {

  /** A stored key with everything a revocation or a lookup needs. */
  record KeyRow(StoredKey key, String name, Instant createdAt, Instant revokedAt) {
    public ApiKeyInfo info() {
      return new ApiKeyInfo(key.keyId(), key.walletId(), name, createdAt, revokedAt);
    }
  }

  CompletionStage<Void> insert(KeyRow row);

  /** Marks the key revoked at {@code at}; the caller has checked it exists and is not revoked. */
  CompletionStage<Void> revoke(KeyRow row, Instant at);

  CompletionStage<Optional<KeyRow>> find(String keyId);

  CompletionStage<List<ApiKeyInfo>> list(String walletId);

  /** Every key ever stored, streamed to {@code each}. */
  CompletionStage<Void> loadAll(Consumer<StoredKey> each);

  /** Every change (a key minted or revoked) recorded after {@code since}. */
  CompletionStage<List<StoredKey>> changesSince(Instant since, Instant now);
}
