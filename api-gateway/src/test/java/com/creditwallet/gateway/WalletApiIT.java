package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.JsonNode;
import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP contract over real HTTP against a real node on the real local Cassandra. */
@ExtendWith(CassandraExtension.class)
class WalletApiIT {
  private static WalletNode node;
  private static Api api;
  private static CassandraTestKeyspace keyspace;

  @BeforeAll
  static void start(CassandraTestKeyspace ks) {
    keyspace = ks;
    node = TestNode.start(keyspace);
    api = TestNode.ready(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static void wallet(String id) {
    assertEquals(201, api.put("/v1/wallets/" + id, "{}").status());
  }

  private static void grant(String wallet, String grantId, String category, long amount) {
    Api.Response r = api.post("/v1/wallets/" + wallet + "/grants",
        "{\"grantId\":\"" + grantId + "\",\"category\":\"" + category + "\",\"amount\":" + amount + ",\"source\":\"PACKAGE\"}");
    assertEquals(201, r.status(), r.raw());
  }

  /** README's curl walk-through: grant, reserve, commit, refund, balance. */
  @Test
  void walkThrough() {
    Api.Response created = api.put("/v1/wallets/acme", "{\"timeZone\":\"Europe/Rome\"}");
    assertEquals(201, created.status(), created.raw());
    assertEquals("Europe/Rome", created.body().path("timeZone").asText());
    assertEquals(201, api.put("/v1/wallets/acme", "{\"timeZone\":\"Europe/Rome\"}").status(), "repeat of the creating PUT");
    assertEquals(200, api.put("/v1/wallets/acme", "{\"timeZone\":\"UTC\"}").status(), "an update");

    String topup = "{\"grantId\":\"topup-17\",\"category\":\"sms\",\"amount\":500,\"source\":\"TOPUP\"}";
    Api.Response g = api.post("/v1/wallets/acme/grants", topup);
    assertEquals(201, g.status(), g.raw());
    assertEquals(500, g.body().path("remaining").asLong());
    assertEquals(201, api.post("/v1/wallets/acme/grants", topup).status(), "idempotent grant");

    String reserve = "{\"reservationId\":\"r-1\",\"lines\":[{\"category\":\"sms\",\"amount\":12}],\"reference\":\"campaign-42\"}";
    Api.Response held = api.post("/v1/wallets/acme/reservations", reserve);
    assertEquals(201, held.status(), held.raw());
    assertEquals("HELD", held.body().path("status").asText());
    assertEquals(12, held.body().path("lines").get(0).path("amount").asLong());
    assertTrue(held.body().path("expiresAt").asText().endsWith("Z"));
    assertEquals(201, api.post("/v1/wallets/acme/reservations", reserve).status(), "idempotent reservation");
    assertEquals(488, balance("acme", "sms").path("available").asLong());
    assertEquals(12, balance("acme", "sms").path("held").asLong());

    Api.Response committed = api.post("/v1/wallets/acme/reservations/r-1/commit", "{\"lines\":[{\"category\":\"sms\",\"amount\":11}]}");
    assertEquals(200, committed.status(), committed.raw());
    assertEquals("COMMITTED", committed.body().path("status").asText());
    assertEquals(11, committed.body().path("committed").get(0).path("amount").asLong());
    Api.Response again = api.post("/v1/wallets/acme/reservations/r-1/commit", "{\"lines\":[{\"category\":\"sms\",\"amount\":11}]}");
    assertEquals(200, again.status(), "repeated commit");
    assertEquals(committed.raw(), again.raw(), "a repeated commit answers the first answer");
    // {} asks for everything held (12), not what was committed (11): another body, 409.
    assertEquals("IDEMPOTENCY_CONFLICT", api.post("/v1/wallets/acme/reservations/r-1/commit", "{}").code());
    assertEquals("RESERVATION_COMMITTED", api.post("/v1/wallets/acme/reservations/r-1/release", "{}").code());

    String refund = "{\"refundId\":\"f-1\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"reason\":\"BOUNCE\"}";
    Api.Response refunded = api.post("/v1/wallets/acme/reservations/r-1/refund", refund);
    assertEquals(200, refunded.status(), refunded.raw());
    assertEquals(1, refunded.body().path("refunded").get(0).path("amount").asLong());
    assertEquals(200, api.post("/v1/wallets/acme/reservations/r-1/refund", refund).status(), "idempotent refund");
    Api.Response tooMuch = api.post("/v1/wallets/acme/reservations/r-1/refund",
        "{\"refundId\":\"f-2\",\"lines\":[{\"category\":\"sms\",\"amount\":11}]}");
    assertEquals(409, tooMuch.status());
    assertEquals("REFUND_EXCEEDS_COMMITTED", tooMuch.code());

    JsonNode sms = balance("acme", "sms");
    assertEquals(490, sms.path("available").asLong());
    assertEquals(0, sms.path("held").asLong());

    Api.Response audit = api.get("/v1/wallets/acme/audit");
    assertEquals(200, audit.status());
    assertTrue(audit.body().path("consistent").asBoolean(), audit.raw());
    JsonNode a = audit.body().path("categories").path("sms");
    assertEquals(500, a.path("granted").asLong());
    assertEquals(1, a.path("refunded").asLong());
    assertEquals(490, a.path("available").asLong());
    assertEquals(11, a.path("committed").asLong());
  }

  @Test
  void reservationConflictsAndLifecycleErrors() {
    wallet("life");
    grant("life", "p-1", "email", 100);
    String body = "{\"reservationId\":\"r-x\",\"lines\":[{\"category\":\"email\",\"amount\":5}]}";
    assertEquals(201, api.post("/v1/wallets/life/reservations", body).status());
    Api.Response conflict = api.post("/v1/wallets/life/reservations",
        "{\"reservationId\":\"r-x\",\"lines\":[{\"category\":\"email\",\"amount\":6}]}");
    assertEquals(409, conflict.status());
    assertEquals("IDEMPOTENCY_CONFLICT", conflict.code());
    assertEquals(400, api.post("/v1/wallets/life/reservations/r-x/commit", "{\"lines\":[{\"category\":\"email\",\"amount\":6}]}").status(),
        "commit of more than held");
    assertEquals(200, api.post("/v1/wallets/life/reservations/r-x/release", "{}").status());
    assertEquals(200, api.post("/v1/wallets/life/reservations/r-x/release", "{}").status(), "repeated release");
    Api.Response afterRelease = api.post("/v1/wallets/life/reservations/r-x/commit", "{}");
    assertEquals(409, afterRelease.status());
    assertEquals("RESERVATION_RELEASED", afterRelease.code());
    assertEquals("RELEASED", api.get("/v1/wallets/life/reservations/r-x").body().path("status").asText());
    assertEquals("RESERVATION_NOT_FOUND", api.get("/v1/wallets/life/reservations/nope").code());

    Api.Response short_ = api.post("/v1/wallets/life/reservations",
        "{\"reservationId\":\"r-big\",\"lines\":[{\"category\":\"email\",\"amount\":101}]}");
    assertEquals(409, short_.status());
    assertEquals("INSUFFICIENT_CREDITS", short_.code());
    assertEquals(100, short_.body().path("available").path("email").asLong());

    Api.Response debit = api.post("/v1/wallets/life/debits",
        "{\"debitId\":\"d-1\",\"lines\":[{\"category\":\"email\",\"amount\":7}]}");
    assertEquals(201, debit.status(), debit.raw());
    assertEquals("COMMITTED", debit.body().path("status").asText());
    assertEquals(93, balance("life", "email").path("available").asLong());
    assertEquals(201, api.post("/v1/wallets/life/debits", "{\"debitId\":\"d-1\",\"lines\":[{\"category\":\"email\",\"amount\":7}]}").status());
    assertEquals(93, balance("life", "email").path("available").asLong(), "a repeated debit changes nothing");
  }

  @Test
  void badInputIsA4xxProblemAndChangesNothing() {
    wallet("strict");
    grant("strict", "p-1", "sms", 50);
    String base = "/v1/wallets/strict/reservations";
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{not json"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "[1,2]"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":\"3\"}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":1.5}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":-1}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":0}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":1000000000001}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"fax\",\"amount\":1}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a b\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"ttlSeconds\":604801}"));
    assertProblem(400, "INVALID_REQUEST", api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"surprise\":1}"));
    Api.Response named = api.post(base, "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":\"3\"}]}");
    assertEquals("lines[0].amount", named.body().path("field").asText());
    assertProblem(400, "INVALID_REQUEST", api.post("/v1/wallets/bad%20id/reservations", "{}"));
    assertProblem(400, "TOPUP_OUT_OF_BOUNDS", api.post("/v1/wallets/strict/grants",
        "{\"grantId\":\"t-1\",\"category\":\"sms\",\"amount\":99,\"source\":\"TOPUP\"}"));
    assertProblem(404, "WALLET_NOT_FOUND", api.get("/v1/wallets/ghost"));
    assertProblem(404, "WALLET_NOT_FOUND", api.post("/v1/wallets/ghost/reservations",
        "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}"));
    RawHttp.Response tooLarge = new RawHttp(node.httpPort()).announce("POST", base,
        Map.of("Authorization", "Bearer " + TestNode.ADMIN_KEY, "Content-Type", "application/json"), 1_100_000);
    assertTrue(tooLarge.isProblem(), tooLarge::toString);
    assertEquals(413, tooLarge.status(), tooLarge::toString);
    assertEquals("PAYLOAD_TOO_LARGE", tooLarge.json().path("code").asText());
    assertProblem(401, "UNAUTHORIZED", new Api(node.httpPort(), null).get("/v1/wallets/strict"));
    assertProblem(401, "UNAUTHORIZED", new Api(node.httpPort(), "wrong").get("/v1/wallets/strict"));
    assertProblem(404, "NOT_FOUND", api.get("/v1/nowhere"));

    assertEquals(50, balance("strict", "sms").path("available").asLong(), "nothing changed");
    assertTrue(api.get("/v1/wallets/strict/audit").body().path("consistent").asBoolean());
  }

  /** 20 clients race 400 one-credit reservations for 200 credits: exactly 200 win. */
  @Test
  void concurrentReservationsNeverOverspend() throws Exception {
    wallet("race");
    grant("race", "p-1", "sms", 200);
    int clients = 20;
    int perClient = 20;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<int[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      results.add(pool.submit(() -> {
        Api own = new Api(node.httpPort(), TestNode.ADMIN_KEY);
        go.await();
        int[] counts = new int[2];
        for (int i = 0; i < perClient; i++) {
          Api.Response r = own.post("/v1/wallets/race/reservations",
              "{\"reservationId\":\"c" + client + "-" + i + "\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}");
          if (r.status() == 201) counts[0]++;
          else if (r.status() == 409 && r.code().equals("INSUFFICIENT_CREDITS")) counts[1]++;
          else throw new AssertionError("unexpected answer " + r.status() + " " + r.raw());
        }
        return counts;
      }));
    }
    go.countDown();
    int ok = 0;
    int refused = 0;
    for (Future<int[]> f : results) {
      int[] counts = f.get(120, TimeUnit.SECONDS);
      ok += counts[0];
      refused += counts[1];
    }
    pool.shutdown();
    assertEquals(200, ok);
    assertEquals(200, refused);
    JsonNode sms = balance("race", "sms");
    assertEquals(0, sms.path("available").asLong());
    assertEquals(200, sms.path("held").asLong());
    assertTrue(api.get("/v1/wallets/race/audit").body().path("consistent").asBoolean());
  }

  /**
   * A hold with a 5-second TTL expires by itself, without any request, and gives the credits back.
   * (Long enough that the balance read right after the hold still sees it, on a slow machine too.)
   */
  @Test
  void holdExpiresByItself() throws InterruptedException {
    wallet("ttl");
    grant("ttl", "p-1", "sms", 10);
    Api.Response held = api.post("/v1/wallets/ttl/reservations",
        "{\"reservationId\":\"short\",\"lines\":[{\"category\":\"sms\",\"amount\":4}],\"ttlSeconds\":5}");
    assertEquals(201, held.status(), held.raw());
    assertEquals(6, balance("ttl", "sms").path("available").asLong());
    // Every API read applies due deadlines itself, so watch the journal in Cassandra instead:
    // the release event must appear there with no request at all.
    try (CqlSession cql = keyspace.openSession()) {
      Instant end = Instant.now().plusSeconds(20);
      long events = 0;
      while (Instant.now().isBefore(end)) {
        events = cql.execute(
            "SELECT count(*) FROM messages WHERE persistence_id = 'Wallet|ttl' AND partition_nr = 0")
            .one().getLong(0);
        if (events >= 4) break;
        Thread.sleep(100);
      }
      assertEquals(4, events, "configured, granted, reserved, then released by the timer");
    }
    Api.Response expired = api.await("/v1/wallets/ttl/reservations/short",
        r -> r.body().path("status").asText().equals("EXPIRED"), Duration.ofSeconds(20));
    assertEquals(expired.body().path("expiresAt").asText(), expired.body().path("settledAt").asText());
    assertEquals(10, balance("ttl", "sms").path("available").asLong());
    assertEquals(0, balance("ttl", "sms").path("held").asLong());
    assertProblem(409, "RESERVATION_EXPIRED", api.post("/v1/wallets/ttl/reservations/short/commit", "{}"));
  }

  private static JsonNode balance(String wallet, String category) {
    Api.Response w = api.get("/v1/wallets/" + wallet);
    assertEquals(200, w.status(), w.raw());
    return w.body().path("balances").path(category);
  }

  private static void assertProblem(int status, String code, Api.Response r) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.code(), r.raw());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
  }
}
