package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP port with TLS from configuration, with a keystore generated for the test. */
@ExtendWith(CassandraExtension.class)
class TlsIT {
  private static final String PASSWORD = "tls-it-password";
  @TempDir static Path dir;
  private static WalletNode node;
  private static HttpClient https;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) throws Exception {
    Path keystore = TestKeystore.create(dir, PASSWORD);
    node = WalletNode.start(TestNode.config(keyspace, Map.of(
        "wallet.http.tls.keystore", keystore.toString(),
        "wallet.http.tls.keystore-password", PASSWORD)));
    https = HttpClient.newBuilder().sslContext(TestKeystore.trusting(keystore, PASSWORD))
        .connectTimeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plusSeconds(60);
    while (get("/health/ready", null).statusCode() != 200) {
      if (Instant.now().isAfter(deadline)) fail("the node did not get ready over HTTPS");
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.httpPort() + path))
        .timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiAnswersOverTls() throws Exception {
    assertEquals("https", node.scheme());
    assertEquals(200, get("/health/alive", null).statusCode());
    assertEquals(200, get("/openapi.yaml", null).statusCode());
    HttpResponse<String> wallet = get("/v1/wallets/nobody", TestNode.ADMIN_KEY);
    assertEquals(404, wallet.statusCode(), wallet.body());
    assertTrue(wallet.body().contains("WALLET_NOT_FOUND"), wallet.body());
    assertEquals(401, get("/v1/wallets/nobody", "wrong").statusCode());
  }

  @Test
  void plainHttpIsNotServed() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/alive"))
        .timeout(Duration.ofSeconds(10)).build();
    assertThrows(IOException.class, () -> plain.send(r, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.httpPort() + "/health/alive"))
        .timeout(Duration.ofSeconds(10)).build();
    assertThrows(IOException.class, () -> untrusting.send(r, HttpResponse.BodyHandlers.ofString()));
  }
}
