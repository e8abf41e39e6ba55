package com.creditwallet.gateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account keys on this node: minting, listing, revoking (through the store, then into this node's
 * cache at once) and checking a presented key (from the cache).
 *
 * <p>A key id this node has never heard of is looked up in the store once, so that a key minted
 * on another node works here at once rather than after the next poll. Those lookups are the only
 * store reads a key check can cause; they are shared by concurrent requests for the same id and
 * limited to {@code missLookups} per second per node, so a flood of made-up keys cannot turn into
 * a flood of reads (over the limit an unknown id is simply 401). Without {@code missLookups}
 * (null) a node never looks up: keys minted elsewhere work here from the next poll on.
 */
public final class AccountKeys {
  private final ApiKeyStore store;
  private final KeyCache cache;
  private final AccountKeyFormat format;
  private final KeyRateLimiter missLookups;
  private final Clock clock;
  private final ConcurrentHashMap<String, CompletableFuture<Optional<StoredKey>>> lookups = new ConcurrentHashMap<>();
  private volatile java.util.function.Consumer<String> revokedListener = keyId -> {};

  public AccountKeys(ApiKeyStore store, KeyCache cache, AccountKeyFormat format, KeyRateLimiter missLookups, Clock clock) {
    this.store = store;
    this.cache = cache;
    this.format = format;
    this.missLookups = missLookups;
    this.clock = clock;
  }

  /** Called with the id of every key this node learns was revoked (e.g. to drop its rate bucket). */
  public void onRevoked(java.util.function.Consumer<String> listener) {
    this.revokedListener = listener;
  }

  /** A key minted and stored; the answer (with the key itself) is shown to the admin once. */
  public record Created(ApiKeyInfo info, String key) {
    @Override
    public String toString() {
      return "Created[" + info + ", key=<hidden>]";
    }
  }

  public CompletionStage<Created> mint(String walletId, String name) {
    AccountKeyFormat.Minted m = format.mint();
    StoredKey key = new StoredKey(m.keyId(), walletId, m.hash(), false);
    ApiKeyStore.KeyRow row = new ApiKeyStore.KeyRow(key, name, now(), null);
    return store.insert(row).thenApply(v -> {
      apply(key);
      return new Created(row.info(), m.key());
    });
  }

  public CompletionStage<List<ApiKeyInfo>> list(String walletId) {
    return store.list(walletId);
  }

  /** The revoked key, or empty when the wallet has no key with that id. Revoking twice changes nothing. */
  public CompletionStage<Optional<ApiKeyInfo>> revoke(String walletId, String keyId) {
    return store.find(keyId).thenCompose(found -> {
      if (found.isEmpty() || !found.get().key().walletId().equals(walletId)) {
        return CompletableFuture.completedFuture(Optional.<ApiKeyInfo>empty());
      }
      ApiKeyStore.KeyRow row = found.get();
      if (row.revokedAt() != null) {
        apply(row.key());
        return CompletableFuture.completedFuture(Optional.of(row.info()));
      }
      Instant at = now();
      return store.revoke(row, at).thenApply(v -> {
        apply(row.key().revokedCopy());
        return Optional.of(new ApiKeyInfo(keyId, walletId, row.name(), row.createdAt(), at));
      });
    });
  }

  /** Takes in what the store says of a key (a poll, a reload, a lookup, or this node's own write). */
  public void apply(StoredKey key) {
    cache.merge(key);
    if (key.revoked()) revokedListener.accept(key.keyId());
  }

  /**
   * The verdict on a presented account key, hashed with {@link KeyHash#of}; completes at once
   * from the cache except for an id this node has not heard of. Never fails: a store that cannot
   * answer makes the key Invalid.
   */
  public CompletionStage<KeyCache.Check> check(String keyId, byte[] presentedHash) {
    KeyCache.Check c = cache.check(keyId, presentedHash);
    if (!(c instanceof KeyCache.Unknown)) return CompletableFuture.completedFuture(c);
    return lookup(keyId).thenApply(found -> found.map(k -> KeyCache.verify(k, presentedHash)).orElse(new KeyCache.Invalid()));
  }

  private CompletionStage<Optional<StoredKey>> lookup(String keyId) {
    CompletableFuture<Optional<StoredKey>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<StoredKey>> running = lookups.putIfAbsent(keyId, mine);
    if (running != null) return running;
    if (missLookups == null || missLookups.acquire("") != 0) {
      lookups.remove(keyId, mine);
      mine.complete(Optional.empty());
      return mine;
    }
    store.find(keyId).whenComplete((row, failure) -> {
      Optional<StoredKey> key = failure == null && row != null ? row.map(ApiKeyStore.KeyRow::key) : Optional.empty();
      key.ifPresent(this::apply);
      lookups.remove(keyId, mine);
      mine.complete(key);
    });
    return mine;
  }

  /** Millisecond precision, as Cassandra keeps it: an answer repeated from the store is the same. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  public int cachedKeys() {
    return cache.size();
  }
}
