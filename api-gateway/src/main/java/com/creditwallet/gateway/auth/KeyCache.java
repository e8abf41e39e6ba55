package com.creditwallet.gateway.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of every account key (id, wallet, hash, revoked), so a key check is a map
 * lookup and a hash, never a store read. It is fed by the key's own node when a key is minted or
 * revoked, by {@link KeyCachePoller} from Cassandra every second for changes made on other nodes,
 * and by a full reload at start and every few minutes.
 *
 * <p>Merging is order-free: revoked wins over active for the same id, whatever order the updates
 * arrive in (a poll may see a revocation before the creation, or a reload may be older than the
 * last poll), so replaying any update any number of times is harmless. Revoked keys stay as
 * small tombstones, so a revoked key never costs a store lookup either.
 */
public final class KeyCache {
  private final ConcurrentHashMap<String, StoredKey> keys = new ConcurrentHashMap<>();

  public void merge(StoredKey update) {
    keys.merge(update.keyId(), update, (old, incoming) -> old.revoked() ? old : incoming.revoked() ? incoming : old);
  }

  public Optional<StoredKey> get(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  public int size() {
    return keys.size();
  }

  /** The verdict on a presented key whose id is {@code keyId}. */
  public sealed interface Check {}

  /** A valid key of {@code walletId}. */
  public record Valid(String keyId, String walletId) implements Check {}

  /** Wrong secret, or revoked: 401. */
  public record Invalid() implements Check {}

  /** This node has never heard of the id: ask the store (a key minted elsewhere a moment ago). */
  public record Unknown() implements Check {}

  /**
   * Checks a presented key, hashed with {@link KeyHash#of}, against the cache; the secret is
   * compared only through its hash.
   */
  public Check check(String keyId, byte[] presentedHash) {
    StoredKey k = keys.get(keyId);
    if (k == null) return new Unknown();
    return verify(k, presentedHash);
  }

  static Check verify(StoredKey k, byte[] presentedHash) {
    boolean sameHash = KeyHash.equal(k.hash(), presentedHash);
    return sameHash && !k.revoked() ? new Valid(k.keyId(), k.walletId()) : new Invalid();
  }
}
