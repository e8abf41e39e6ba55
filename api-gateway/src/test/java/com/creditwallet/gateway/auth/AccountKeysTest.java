package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The node-side rules of account keys: what is answered from the cache, when the store is asked,
 * and how a revocation lands. The store here is an in-memory stand-in with controllable answers;
 * the Cassandra store itself is exercised by ApiKeysIT.
 */
class AccountKeysTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
  private final AccountKeyFormat format = new AccountKeyFormat(new SecureRandom());
  private final AtomicLong nanos = new AtomicLong();

  /** Rows by key id; {@code find} answers only when the test completes the pending lookup. */
  private static final class StoreStandIn implements ApiKeyStore {
    final Map<String, KeyRow> rows = new ConcurrentHashMap<>();
    final List<CompletableFuture<Optional<KeyRow>>> pendingFinds = new ArrayList<>();
    boolean answerFindsAtOnce = true;

    @Override
    public CompletionStage<Void> insert(KeyRow row) {
      rows.put(row.key().keyId(), row);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> revoke(KeyRow row, Instant at) {
      rows.put(row.key().keyId(), new KeyRow(row.key().revokedCopy(), row.name(), row.createdAt(), at));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<KeyRow>> find(String keyId) {
      Optional<KeyRow> row = Optional.ofNullable(rows.get(keyId));
      if (answerFindsAtOnce) return CompletableFuture.completedFuture(row);
      CompletableFuture<Optional<KeyRow>> f = new CompletableFuture<>();
      pendingFinds.add(f);
      return f;
    }

    @Override
    public CompletionStage<List<ApiKeyInfo>> list(String walletId) {
      return CompletableFuture.completedFuture(rows.values().stream()
          .filter(r -> r.key().walletId().equals(walletId)).map(KeyRow::info).toList());
    }

    @Override
    public CompletionStage<Void> loadAll(Consumer<StoredKey> each) {
      rows.values().forEach(r -> each.accept(r.key()));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<StoredKey>> changesSince(Instant since, Instant now) {
      return CompletableFuture.completedFuture(List.of());
    }
  }

  private final StoreStandIn store = new StoreStandIn();

  private AccountKeys keys(KeyRateLimiter missLookups) {
    return new AccountKeys(store, new KeyCache(), format, missLookups, clock);
  }

  /** A key minted "on another node": in the store, not in this node's cache. */
  private AccountKeyFormat.Minted mintedElsewhere(String walletId) {
    AccountKeyFormat.Minted m = format.mint();
    store.insert(new ApiKeyStore.KeyRow(new StoredKey(m.keyId(), walletId, m.hash(), false), null, clock.instant(), null));
    return m;
  }

  private static KeyCache.Check now(CompletionStage<KeyCache.Check> c) {
    CompletableFuture<KeyCache.Check> f = c.toCompletableFuture();
    assertTrue(f.isDone(), "answered without waiting");
    return f.join();
  }

  @Test
  void aMintedKeyWorksOnItsNodeAtOnceAndOnlyItsHashIsStored() {
    AccountKeys keys = keys(null);
    AccountKeys.Created c = keys.mint("acme", "billing").toCompletableFuture().join();
    assertEquals(new KeyCache.Valid(c.info().keyId(), "acme"), now(keys.check(c.info().keyId(), KeyHash.of(c.key()))));
    ApiKeyStore.KeyRow row = store.rows.get(c.info().keyId());
    assertEquals("billing", row.name());
    assertEquals(32, row.key().hash().length);
    assertEquals(clock.instant(), c.info().createdAt());
  }

  @Test
  void aKeyFromAnotherNodeIsLookedUpOnceThenServedFromTheCache() {
    AccountKeys keys = keys(new KeyRateLimiter(10, 10, nanos::get));
    AccountKeyFormat.Minted m = mintedElsewhere("acme");
    store.answerFindsAtOnce = false;
    CompletionStage<KeyCache.Check> first = keys.check(m.keyId(), KeyHash.of(m.key()));
    CompletionStage<KeyCache.Check> second = keys.check(m.keyId(), KeyHash.of(m.key()));
    assertEquals(1, store.pendingFinds.size(), "concurrent checks share one lookup");
    store.pendingFinds.get(0).complete(Optional.of(store.rows.get(m.keyId())));
    assertInstanceOf(KeyCache.Valid.class, first.toCompletableFuture().join());
    assertInstanceOf(KeyCache.Valid.class, second.toCompletableFuture().join());
    assertInstanceOf(KeyCache.Valid.class, now(keys.check(m.keyId(), KeyHash.of(m.key()))));
    assertEquals(1, store.pendingFinds.size(), "no further store read");
  }

  @Test
  void madeUpKeysCostAtMostTheLookupBudget() {
    AccountKeys keys = keys(new KeyRateLimiter(1, 3, nanos::get));
    store.answerFindsAtOnce = false;
    for (int i = 0; i < 100; i++) {
      AccountKeyFormat.Minted fake = format.mint();
      CompletionStage<KeyCache.Check> c = keys.check(fake.keyId(), KeyHash.of(fake.key()));
      if (i >= 3) assertInstanceOf(KeyCache.Invalid.class, now(c));
    }
    assertEquals(3, store.pendingFinds.size());
    store.pendingFinds.forEach(f -> f.complete(Optional.empty()));
  }

  @Test
  void withoutLookupsAnUnknownKeyWaitsForThePoll() {
    AccountKeys keys = keys(null);
    AccountKeyFormat.Minted m = mintedElsewhere("acme");
    assertInstanceOf(KeyCache.Invalid.class, now(keys.check(m.keyId(), KeyHash.of(m.key()))));
    keys.apply(store.rows.get(m.keyId()).key());
    assertInstanceOf(KeyCache.Valid.class, now(keys.check(m.keyId(), KeyHash.of(m.key()))));
  }

  @Test
  void revokingStopsTheKeyHereAtOnceAndTellsTheListener() {
    AccountKeys keys = keys(null);
    List<String> revoked = new ArrayList<>();
    keys.onRevoked(revoked::add);
    AccountKeys.Created c = keys.mint("acme", null).toCompletableFuture().join();
    ApiKeyInfo info = keys.revoke("acme", c.info().keyId()).toCompletableFuture().join().orElseThrow();
    assertNotNull(info.revokedAt());
    assertInstanceOf(KeyCache.Invalid.class, now(keys.check(c.info().keyId(), KeyHash.of(c.key()))));
    assertEquals(List.of(c.info().keyId()), revoked);
    assertEquals(Optional.of(info), keys.revoke("acme", c.info().keyId()).toCompletableFuture().join(),
        "revoking again answers the same");
  }

  @Test
  void timesAreKeptAtTheStoresPrecisionSoARepeatedAnswerIsTheSame() {
    Clock fine = Clock.fixed(Instant.parse("2026-11-23T10:00:00.123456789Z"), ZoneOffset.UTC);
    AccountKeys keys = new AccountKeys(store, new KeyCache(), format, null, fine);
    AccountKeys.Created c = keys.mint("acme", null).toCompletableFuture().join();
    assertEquals(Instant.parse("2026-11-23T10:00:00.123Z"), c.info().createdAt());
    ApiKeyInfo first = keys.revoke("acme", c.info().keyId()).toCompletableFuture().join().orElseThrow();
    assertEquals(Instant.parse("2026-11-23T10:00:00.123Z"), first.revokedAt());
  }

  @Test
  void aKeyIsRevokedOnlyThroughItsOwnWallet() {
    AccountKeys keys = keys(null);
    AccountKeys.Created c = keys.mint("acme", null).toCompletableFuture().join();
    assertEquals(Optional.empty(), keys.revoke("other", c.info().keyId()).toCompletableFuture().join());
    assertEquals(Optional.empty(), keys.revoke("acme", "0123456789abcdef01234567").toCompletableFuture().join());
    assertInstanceOf(KeyCache.Valid.class, now(keys.check(c.info().keyId(), KeyHash.of(c.key()))));
  }
}
