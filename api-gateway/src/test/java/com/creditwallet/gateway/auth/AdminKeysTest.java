package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminKeysTest {

  @Test
  void severalCommaSeparatedKeysAllWorkForRotation() {
    AdminKeys keys = AdminKeys.parse(" new-key-1234567890 , old-key-0987654321 ,");
    assertEquals(2, keys.count());
    assertTrue(keys.matches(KeyHash.of("new-key-1234567890")));
    assertTrue(keys.matches(KeyHash.of("old-key-0987654321")));
    assertFalse(keys.matches(KeyHash.of("new-key-123456789")), "a prefix is not the key");
    assertFalse(keys.matches(KeyHash.of("new-key-1234567890 ")), "keys are compared exactly");
    assertFalse(keys.matches(KeyHash.of("")));
  }

  @Test
  void theNodesOwnCallsUseTheFirstKey() {
    assertEquals("new-key-1234567890", AdminKeys.first(" , new-key-1234567890 , old-key-0987654321"));
  }

  @Test
  void noKeyRefusesWithAMessageForTheOperator() {
    for (String none : new String[] {null, "", "  ", " , ,"}) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> AdminKeys.parse(none));
      assertTrue(e.getMessage().startsWith("WALLET_ADMIN_KEY is not set"), e.getMessage());
    }
  }

  @Test
  void onlyDigestsAreKeptNotTheKeys() throws Exception {
    AdminKeys keys = AdminKeys.parse("super-secret-admin-key");
    var field = AdminKeys.class.getDeclaredField("digests");
    field.setAccessible(true);
    for (Object d : (java.util.List<?>) field.get(keys)) {
      assertEquals(32, ((byte[]) d).length);
      assertFalse(new String((byte[]) d, java.nio.charset.StandardCharsets.ISO_8859_1).contains("super-secret"));
    }
  }
}
