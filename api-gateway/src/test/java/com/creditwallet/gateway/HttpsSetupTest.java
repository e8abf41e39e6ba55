package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsSetupTest {
  private static final String PASSWORD = "keystore-pass-7781";
  @TempDir static Path dir;
  private static Path keystore;

  @BeforeAll
  static void keystore() throws Exception {
    keystore = TestKeystore.create(dir, PASSWORD);
  }

  private static Config tls(String path, String password, String type) {
    return ConfigFactory.parseMap(Map.of("keystore", path, "keystore-password", password, "keystore-type", type));
  }

  @Test
  void noKeystoreMeansPlainHttp() {
    assertTrue(HttpsSetup.fromConfig(tls("", "", "PKCS12")).isEmpty());
  }

  @Test
  void aReadableKeystoreMeansHttps() {
    assertTrue(HttpsSetup.fromConfig(tls(keystore.toString(), PASSWORD, "PKCS12")).isPresent());
  }

  @Test
  void aWrongPasswordStopsTheNodeWithoutShowingIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpsSetup.fromConfig(tls(keystore.toString(), "not-the-" + PASSWORD, "PKCS12")));
    assertTrue(e.getMessage().startsWith("WALLET_TLS_KEYSTORE"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void aMissingKeystoreIsNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpsSetup.fromConfig(tls(dir.resolve("nope.p12").toString(), PASSWORD, "PKCS12")));
    assertTrue(e.getMessage().contains("nope.p12"), e.getMessage());
  }
}
