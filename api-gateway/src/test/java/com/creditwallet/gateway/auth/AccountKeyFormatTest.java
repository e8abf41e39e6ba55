package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountKeyFormatTest {
  private final AccountKeyFormat format = new AccountKeyFormat(new SecureRandom());

  @Test
  void aMintedKeyCarriesItsIdAnd256RandomBits() {
    AccountKeyFormat.Minted m = format.mint();
    assertTrue(m.key().matches("wk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}"), m.key());
    assertEquals(Optional.of(m.keyId()), AccountKeyFormat.keyIdOf(m.key()));
    assertArrayEquals(KeyHash.of(m.key()), m.hash());
    assertTrue(AccountKeyFormat.KEY_ID.matcher(m.keyId()).matches());
  }

  @Test
  void keysAndIdsDoNotRepeat() {
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      AccountKeyFormat.Minted m = format.mint();
      assertTrue(ids.add(m.keyId()));
      assertTrue(keys.add(m.key()));
    }
  }

  @Test
  void theKeyNeverShowsInToString() {
    AccountKeyFormat.Minted m = format.mint();
    assertFalse(m.toString().contains(m.key()));
    assertFalse(new AccountKeys.Created(new ApiKeyInfo(m.keyId(), "w", null, null, null), m.key()).toString().contains(m.key()));
  }

  @Test
  void onlyTheExactShapeIsAnAccountKey() {
    String good = format.mint().key();
    assertTrue(AccountKeyFormat.keyIdOf(good).isPresent());
    assertTrue(AccountKeyFormat.keyIdOf(good + "x").isEmpty());
    assertTrue(AccountKeyFormat.keyIdOf(good.substring(1)).isEmpty());
    assertTrue(AccountKeyFormat.keyIdOf(good.toUpperCase()).isEmpty());
    assertTrue(AccountKeyFormat.keyIdOf("it-admin-key").isEmpty());
    assertTrue(AccountKeyFormat.keyIdOf("").isEmpty());
  }
}
