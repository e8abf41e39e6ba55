package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private final AccountKeyFormat.Minted m = new AccountKeyFormat(new SecureRandom()).mint();
  private final StoredKey active = new StoredKey(m.keyId(), "acme", m.hash(), false);

  @Test
  void aKnownKeyIsValidForItsWalletOnlyWithTheRightSecret() {
    KeyCache cache = new KeyCache();
    cache.merge(active);
    assertEquals(new KeyCache.Valid(m.keyId(), "acme"), cache.check(m.keyId(), KeyHash.of(m.key())));
    String wrongSecret = m.key().substring(0, m.key().length() - 1) + (m.key().endsWith("A") ? "B" : "A");
    assertInstanceOf(KeyCache.Invalid.class, cache.check(m.keyId(), KeyHash.of(wrongSecret)));
    assertInstanceOf(KeyCache.Unknown.class, cache.check("0123456789abcdef01234567", KeyHash.of(m.key())));
  }

  @Test
  void revokedWinsInWhateverOrderUpdatesArrive() {
    for (List<StoredKey> order : List.of(
        List.of(active, active.revokedCopy()),
        List.of(active.revokedCopy(), active),
        List.of(active.revokedCopy(), active, active, active.revokedCopy(), active))) {
      KeyCache cache = new KeyCache();
      order.forEach(cache::merge);
      assertTrue(cache.get(m.keyId()).orElseThrow().revoked(), order.toString());
      assertInstanceOf(KeyCache.Invalid.class, cache.check(m.keyId(), KeyHash.of(m.key())));
    }
  }

  @Test
  void replayingAnUpdateChangesNothing() {
    KeyCache cache = new KeyCache();
    cache.merge(active);
    cache.merge(active);
    assertEquals(1, cache.size());
    assertEquals(active, cache.get(m.keyId()).orElseThrow());
  }
}
