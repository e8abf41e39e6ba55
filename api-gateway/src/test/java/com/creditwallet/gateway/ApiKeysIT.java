package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.creditwallet.gateway.auth.KeyHash;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Account keys over real HTTP on a real two-node cluster sharing a real Cassandra: minting (hash
 * only in the store), each right of a key, 401/403/429, plan gating, and revocation reaching the
 * other node. Node B never looks keys up on a miss, so what it knows came from its poll of the
 * change log; it also has a tiny rate limit.
 */
@ExtendWith(CassandraExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiKeysIT {
  /** How soon every node must refuse a revoked key (the poll runs every second). */
  private static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(5);

  private static WalletNode nodeA;
  private static WalletNode nodeB;
  private static Api adminA;
  private static Api adminB;
  private static CassandraTestKeyspace keyspace;
  private static final List<String> mintedKeys = new CopyOnWriteArrayList<>();
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static Level rootLevel;
  private static Level ourLevel;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start(CassandraTestKeyspace ks) {
    keyspace = ks;
    captureLogs();
    nodeA = WalletNode.start(TestNode.config(keyspace, Map.of(
        "wallet.keys.plan-check-ttl", "200ms",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on")));
    String seed = Cluster.get(nodeA.system()).selfMember().address().toString();
    nodeB = WalletNode.start(TestNode.config(keyspace, Map.of(
        "pekko.cluster.seed-nodes", List.of(seed),
        "wallet.keys.miss-lookups-per-second", 0,
        "wallet.keys.rate", 0.001,
        "wallet.keys.burst", 3,
        "wallet.keys.plan-check-ttl", "200ms",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on")));
    adminA = TestNode.ready(nodeA);
    adminB = TestNode.ready(nodeB);
    for (String w : List.of("acme", "other", "shop")) {
      assertEquals(201, adminA.put("/v1/wallets/" + w, "{}").status());
      Api.Response g = adminA.post("/v1/wallets/" + w + "/grants",
          "{\"grantId\":\"pkg-1\",\"category\":\"sms\",\"amount\":1000,\"source\":\"PACKAGE\"}");
      assertEquals(201, g.status(), g.raw());
    }
  }

  @AfterAll
  static void stop() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    if (rootLevel != null) root.setLevel(rootLevel);
    ((Logger) LoggerFactory.getLogger("com.creditwallet")).setLevel(ourLevel);
    if (nodeB != null) nodeB.close();
    if (nodeA != null) nodeA.close();
  }

  /** Everything logged at INFO and above (DEBUG for our own code) while the nodes run. */
  private static void captureLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.INFO);
    Logger ours = (Logger) LoggerFactory.getLogger("com.creditwallet");
    ourLevel = ours.getLevel();
    ours.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
  }

  private static String mint(Api admin, String walletId) {
    Api.Response r = admin.post("/v1/wallets/" + walletId + "/api-keys", "{\"name\":\"sender\"}");
    assertEquals(201, r.status(), r.raw());
    String key = r.body().path("key").asText();
    mintedKeys.add(key);
    return key;
  }

  private static String keyId(String key) {
    return key.substring(3, 27);
  }

  private static Api as(WalletNode node, String key) {
    return new Api(node.httpPort(), key);
  }

  private static void assertProblem(int status, String code, Api.Response r) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.code(), r.raw());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
  }

  private static String reserve(String id, long amount) {
    return "{\"reservationId\":\"" + id + "\",\"lines\":[{\"category\":\"sms\",\"amount\":" + amount + "}]}";
  }

  @Test
  @Order(1)
  void aKeyIsShownOnceAndOnlyItsHashIsStored() {
    Api.Response r = adminA.post("/v1/wallets/acme/api-keys", "{\"name\":\"billing service\"}");
    assertEquals(201, r.status(), r.raw());
    String key = r.body().path("key").asText();
    mintedKeys.add(key);
    String keyId = r.body().path("keyId").asText();
    assertTrue(key.matches("wk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}"), key);
    assertEquals(keyId(key), keyId);
    assertEquals("acme", r.body().path("walletId").asText());
    assertEquals("billing service", r.body().path("name").asText());
    assertTrue(r.body().path("revokedAt").isNull());

    Api.Response list = adminA.get("/v1/wallets/acme/api-keys");
    assertEquals(200, list.status(), list.raw());
    assertFalse(list.raw().contains(key.substring(28)), "a listing never shows a secret");
    JsonNode listed = null;
    for (JsonNode k : list.body().path("keys")) if (k.path("keyId").asText().equals(keyId)) listed = k;
    assertTrue(listed != null && !listed.has("key") && listed.path("revokedAt").isNull(), list.raw());

    try (CqlSession cql = keyspace.openSession()) {
      Row row = cql.execute("SELECT * FROM api_keys WHERE key_id = ?", keyId).one();
      ByteBuffer hash = row.getByteBuffer("key_hash");
      byte[] stored = new byte[hash.remaining()];
      hash.get(stored);
      assertArrayEquals(KeyHash.of(key), stored);
      for (ColumnDefinition c : row.getColumnDefinitions()) {
        Object value = row.getObject(c.getName());
        assertFalse(value != null && value.toString().contains(key.substring(28)), "column " + c.getName() + " holds the secret");
      }
    }
    assertProblem(404, "WALLET_NOT_FOUND", adminA.post("/v1/wallets/ghost/api-keys", "{}"));
    assertProblem(400, "INVALID_REQUEST", adminA.post("/v1/wallets/acme/api-keys", "{\"label\":\"x\"}"));
  }

  @Test
  @Order(2)
  void anAccountKeySpendsAndReadsItsOwnWallet() {
    Api key = as(nodeA, mint(adminA, "acme"));
    assertEquals(200, key.get("/v1/wallets/acme").status());
    assertEquals(201, key.post("/v1/wallets/acme/reservations", reserve("k-r1", 5)).status());
    assertEquals(200, key.get("/v1/wallets/acme/reservations/k-r1").status());
    Api.Response committed = key.post("/v1/wallets/acme/reservations/k-r1/commit", "{}");
    assertEquals(200, committed.status(), committed.raw());
    Api.Response refunded = key.post("/v1/wallets/acme/reservations/k-r1/refund",
        "{\"refundId\":\"f-1\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"reason\":\"BOUNCE\"}");
    assertEquals(200, refunded.status(), refunded.raw());
    assertEquals(201, key.post("/v1/wallets/acme/reservations", reserve("k-r2", 2)).status());
    assertEquals("RELEASED", key.post("/v1/wallets/acme/reservations/k-r2/release", "{}").body().path("status").asText());
    Api.Response debit = key.post("/v1/wallets/acme/debits",
        "{\"debitId\":\"k-d1\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}");
    assertEquals(201, debit.status(), debit.raw());
    Api.Response estimate = key.post("/v1/wallets/acme/estimate", "{\"lines\":[{\"category\":\"sms\",\"amount\":10}]}");
    assertEquals(200, estimate.status(), estimate.raw());
    Api.Response batch = key.post("/v1/batch",
        "{\"requests\":[{\"walletId\":\"acme\",\"op\":\"reserve\",\"body\":" + reserve("k-b1", 1) + "}]}");
    assertEquals(200, batch.status(), batch.raw());
    assertEquals(201, batch.body().path("results").get(0).path("status").asInt(), batch.raw());
    assertEquals(994, adminA.get("/v1/wallets/acme").body().path("balances").path("sms").path("available").asLong(),
        "5 committed - 1 refunded + 1 debited + 1 held");
  }

  @Test
  @Order(3)
  void everythingElseIsForbidden() {
    Api key = as(nodeA, mint(adminA, "acme"));
    long before = adminA.get("/v1/wallets/other").body().path("balances").path("sms").path("available").asLong();
    // Another wallet, even for the calls it may make on its own.
    assertProblem(403, "FORBIDDEN", key.get("/v1/wallets/other"));
    assertProblem(403, "FORBIDDEN", key.post("/v1/wallets/other/reservations", reserve("x-1", 1)));
    assertProblem(403, "FORBIDDEN", key.post("/v1/wallets/other/debits", "{\"debitId\":\"x-2\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}"));
    assertProblem(403, "FORBIDDEN", key.get("/v1/wallets/other/reservations/x-1"));
    assertProblem(403, "FORBIDDEN", key.post("/v1/batch",
        "{\"requests\":[{\"walletId\":\"acme\",\"op\":\"reserve\",\"body\":" + reserve("x-3", 1) + "},"
            + "{\"walletId\":\"other\",\"op\":\"reserve\",\"body\":" + reserve("x-4", 1) + "}]}"));
    assertProblem(404, "RESERVATION_NOT_FOUND", adminA.get("/v1/wallets/acme/reservations/x-3"));
    // Admin calls, even on its own wallet.
    assertProblem(403, "FORBIDDEN", key.put("/v1/wallets/acme", "{\"timeZone\":\"UTC\"}"));
    assertProblem(403, "FORBIDDEN", key.post("/v1/wallets/acme/grants",
        "{\"grantId\":\"mine\",\"category\":\"sms\",\"amount\":1000000,\"source\":\"PROMO\"}"));
    assertProblem(403, "FORBIDDEN", key.post("/v1/wallets/acme/plan", "{\"planId\":\"gold\"}"));
    assertProblem(403, "FORBIDDEN", key.put("/v1/wallets/acme/sub-budgets/list-1", "{}"));
    assertProblem(403, "FORBIDDEN", key.get("/v1/wallets/acme/audit"));
    assertProblem(403, "FORBIDDEN", key.post("/v1/wallets/acme/api-keys", "{}"));
    assertProblem(403, "FORBIDDEN", key.get("/v1/wallets/acme/api-keys"));
    assertProblem(403, "FORBIDDEN", key.send("DELETE", "/v1/wallets/acme/api-keys/" + keyId(mintedKeys.get(0)), null));
    assertProblem(403, "FORBIDDEN", key.put("/v1/plans/free", "{\"cycle\":\"P1M\",\"allowances\":{\"sms\":1}}"));
    assertProblem(403, "FORBIDDEN", key.get("/v1/plans/free"));
    assertProblem(403, "FORBIDDEN", key.put("/v1/operations/op", "{\"costs\":{\"sms\":1}}"));
    assertProblem(404, "NOT_FOUND", key.get("/v1/nowhere"));
    assertEquals(200, key.get("/health/alive").status());
    // Nothing of it happened.
    assertEquals(before, adminA.get("/v1/wallets/other").body().path("balances").path("sms").path("available").asLong());
    assertFalse(adminA.get("/v1/wallets/acme").raw().contains("\"mine\""));
    assertProblem(404, "PLAN_NOT_FOUND", adminA.get("/v1/plans/free"));
  }

  @Test
  @Order(4)
  void missingMadeUpOrWrongKeysAre401() {
    String key = mint(adminA, "acme");
    String wrongSecret = key.substring(0, key.length() - 2) + (key.endsWith("AA") ? "BB" : "AA");
    for (String bad : new String[] {null, "wrong", "wk_0123456789abcdef01234567_" + "A".repeat(43), wrongSecret, key + "x"}) {
      Api.Response r = as(nodeA, bad).get("/v1/wallets/acme");
      assertProblem(401, "UNAUTHORIZED", r);
    }
  }

  @Test
  @Order(5)
  void aPlanWithoutApiAccessShutsItsWalletsKeys() {
    assertEquals(200, adminA.put("/v1/plans/bronze",
        "{\"allowances\":{\"campaign\":1000},\"cycle\":\"P1M\",\"features\":{\"apiAccess\":false}}").status());
    assertEquals(200, adminA.put("/v1/plans/silver",
        "{\"allowances\":{\"campaign\":3000},\"cycle\":\"P1M\",\"features\":{\"apiAccess\":true}}").status());
    Api key = as(nodeA, mint(adminA, "shop"));
    assertEquals(200, key.get("/v1/wallets/shop").status());

    assertEquals(200, adminA.post("/v1/wallets/shop/plan", "{\"planId\":\"bronze\"}").status());
    Api.Response shut = key.await("/v1/wallets/shop", r -> r.status() == 403, Duration.ofSeconds(5));
    assertProblem(403, "API_ACCESS_NOT_IN_PLAN", shut);
    assertProblem(403, "API_ACCESS_NOT_IN_PLAN", key.post("/v1/wallets/shop/reservations", reserve("s-1", 1)));
    assertEquals(200, adminA.get("/v1/wallets/shop").status(), "the admin is not gated by the plan");
    assertFalse(adminA.get("/v1/wallets/shop").body().path("plan").path("features").path("apiAccess").asBoolean(true));

    assertEquals(200, adminA.post("/v1/wallets/shop/plan", "{\"planId\":\"silver\"}").status());
    key.await("/v1/wallets/shop", r -> r.status() == 200, Duration.ofSeconds(5));
    assertEquals(201, key.post("/v1/wallets/shop/reservations", reserve("s-2", 1)).status());
  }

  @Test
  @Order(6)
  void revocationReachesEveryNodeWithinSeconds() {
    // Minted on A; B (no lookups on a miss) learns it from its poll of the change log.
    String key = mint(adminA, "acme");
    as(nodeB, key).await("/v1/wallets/acme", r -> r.status() == 200, REVOCATION_DEADLINE);

    Api.Response revoked = adminA.send("DELETE", "/v1/wallets/acme/api-keys/" + keyId(key), null);
    assertEquals(200, revoked.status(), revoked.raw());
    assertFalse(revoked.body().path("revokedAt").isNull());
    assertProblem(401, "UNAUTHORIZED", as(nodeA, key).get("/v1/wallets/acme"));
    long start = System.nanoTime();
    as(nodeB, key).await("/v1/wallets/acme", r -> r.status() == 401, REVOCATION_DEADLINE);
    System.out.printf("revocation reached the other node in %d ms%n", (System.nanoTime() - start) / 1_000_000);

    Api.Response again = adminB.send("DELETE", "/v1/wallets/acme/api-keys/" + keyId(key), null);
    assertEquals(200, again.status(), again.raw());
    assertEquals(revoked.body(), again.body(), "revoking again answers the same, on any node");
    assertProblem(404, "API_KEY_NOT_FOUND", adminA.send("DELETE", "/v1/wallets/other/api-keys/" + keyId(key), null));
    assertProblem(404, "API_KEY_NOT_FOUND", adminA.send("DELETE", "/v1/wallets/acme/api-keys/0123456789abcdef01234567", null));
    assertProblem(404, "API_KEY_NOT_FOUND", adminA.send("DELETE", "/v1/wallets/acme/api-keys/not-a-key-id", null));
    JsonNode listed = null;
    for (JsonNode k : adminB.get("/v1/wallets/acme/api-keys").body().path("keys")) {
      if (k.path("keyId").asText().equals(keyId(key))) listed = k;
    }
    assertTrue(listed != null && listed.path("revokedAt").isTextual(), "the listing keeps revoked keys, marked");
  }

  @Test
  @Order(7)
  void aKeyMintedOnOneNodeWorksOnANodeThatLooksItUpAtOnce() {
    String key = mint(adminB, "acme");
    assertEquals(200, as(nodeA, key).get("/v1/wallets/acme").status(), "A looks an unknown id up in the store");
    assertEquals(200, adminB.send("DELETE", "/v1/wallets/acme/api-keys/" + keyId(key), null).status());
    as(nodeA, key).await("/v1/wallets/acme", r -> r.status() == 401, REVOCATION_DEADLINE);
  }

  @Test
  @Order(8)
  void eachKeyHasItsRateAndTheAdminHasNone() throws Exception {
    // B: 3 requests at once, then one every 1,000 s.
    String key = mint(adminB, "acme");
    for (int i = 0; i < 3; i++) assertEquals(200, as(nodeB, key).get("/v1/wallets/acme").status());
    HttpResponse<String> limited = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeB.httpPort() + "/v1/wallets/acme"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(429, limited.statusCode(), limited.body());
    assertTrue(limited.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertTrue(limited.body().contains("\"RATE_LIMITED\""), limited.body());
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 900 && retryAfter <= 1000, "Retry-After " + retryAfter);

    String other = mint(adminB, "acme");
    assertEquals(200, as(nodeB, other).get("/v1/wallets/acme").status(), "another key has its own bucket");
    for (int i = 0; i < 20; i++) assertEquals(200, adminB.get("/v1/wallets/acme").status());
  }

  @Test
  @Order(9)
  void theMintAnswerIsNeverCached() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeA.httpPort() + "/v1/wallets/acme/api-keys"))
        .header("Authorization", "Bearer " + TestNode.ADMIN_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode());
    mintedKeys.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("key").asText());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
  }

  @Test
  @Order(100)
  void noKeyEverReachesTheLogs() throws Exception {
    // A header Pekko cannot parse is where a key would most likely be logged.
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeA.httpPort() + "/v1/wallets/acme"))
        .header("Authorization", "Basic !!" + TestNode.ADMIN_KEY + "!!" + mintedKeys.get(0)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(mintedKeys.size() >= 8);
    assertFalse(logs.list.isEmpty(), "the capture works");
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      assertFalse(text.contains(TestNode.ADMIN_KEY), "admin key logged: " + text);
      for (String key : mintedKeys) {
        assertFalse(text.contains(key.substring(28)), "account key logged: " + text);
      }
    }
  }
}
