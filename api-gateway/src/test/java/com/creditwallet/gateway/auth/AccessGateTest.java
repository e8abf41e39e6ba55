package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.Test;

class AccessGateTest {

  private static HttpEntity.Strict json(String s) {
    return HttpEntities.create(ContentTypes.APPLICATION_JSON, s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBatchMayNameOnlyTheKeysWallet() {
    assertTrue(AccessGate.batchOfWallet(json("{\"requests\":[{\"walletId\":\"acme\",\"op\":\"reserve\"},{\"walletId\":\"acme\"}]}"), "acme"));
    assertFalse(AccessGate.batchOfWallet(json("{\"requests\":[{\"walletId\":\"acme\"},{\"walletId\":\"other\"}]}"), "acme"));
    // What the batch route refuses by itself (400) is left to it: nothing runs either way.
    assertTrue(AccessGate.batchOfWallet(json("not json"), "acme"));
    assertTrue(AccessGate.batchOfWallet(json("{\"requests\":[{\"op\":\"reserve\"}]}"), "acme"));
  }

  @Test
  void bearerTokens() {
    assertEquals(Optional.of("abc"), AccessGate.bearer(Optional.of("Bearer abc")));
    assertEquals(Optional.of("abc"), AccessGate.bearer(Optional.of("bearer  abc ")));
    assertEquals(Optional.empty(), AccessGate.bearer(Optional.of("Basic abc")));
    assertEquals(Optional.empty(), AccessGate.bearer(Optional.of("Bearer ")));
    assertEquals(Optional.empty(), AccessGate.bearer(Optional.empty()));
  }

  @Test
  void pathsAreDecodedAndEmptySegmentsMatchNothing() {
    assertEquals(Optional.of(List.of("v1", "wallets", "acme")), AccessGate.segments(Uri.create("/v1/wallets/ac%6De")));
    assertEquals(Optional.of(List.of("v1", "wallets", "a/b")), AccessGate.segments(Uri.create("/v1/wallets/a%2Fb")));
    assertEquals(Optional.empty(), AccessGate.segments(Uri.create("/v1/wallets/acme/")));
    assertEquals(Optional.empty(), AccessGate.segments(Uri.create("/v1//wallets/acme")));
    assertEquals(Optional.empty(), AccessGate.segments(Uri.create("/")));
  }
}
