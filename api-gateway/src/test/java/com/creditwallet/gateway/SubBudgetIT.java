package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Seed 001's lists over real HTTP: allocations, the unassigned pool, proportional expiry. */
@ExtendWith(CassandraExtension.class)
class SubBudgetIT {
  private static WalletNode node;
  private static Api api;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = TestNode.start(keyspace);
    api = TestNode.ready(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static void ok(int status, Api.Response r) {
    assertEquals(status, r.status(), r.raw());
  }

  private static JsonNode subBudget(String wallet, String name) {
    for (JsonNode b : api.get("/v1/wallets/" + wallet).body().path("subBudgets")) {
      if (b.path("subBudget").asText().equals(name)) return b;
    }
    throw new AssertionError("no sub-budget " + name);
  }

  @Test
  void listsSpendTheirAllocationAndThePoolTheRest() {
    ok(201, api.put("/v1/wallets/sms-co", "{\"timeZone\":\"Europe/Rome\",\"consumptionOrder\":\"NON_EXPIRING_FIRST\"}"));
    ok(201, api.post("/v1/wallets/sms-co/grants", "{\"grantId\":\"pkg-1\",\"category\":\"sms\",\"amount\":1000,\"source\":\"PACKAGE\",\"validFor\":\"P2Y\"}"));
    Api.Response list7 = api.put("/v1/wallets/sms-co/sub-budgets/list-7", "{\"allocated\":{\"sms\":300}}");
    ok(200, list7);
    assertEquals(300, list7.body().path("allocated").path("sms").asLong());
    ok(200, api.put("/v1/wallets/sms-co/sub-budgets/list-8", "{}"));
    ok(200, api.put("/v1/wallets/sms-co/sub-budgets/list-7", "{\"allocated\":{\"sms\":300}}"));
    Api.Response tooMuch = api.put("/v1/wallets/sms-co/sub-budgets/list-9", "{\"allocated\":{\"sms\":701}}");
    assertEquals(409, tooMuch.status());
    assertEquals("INSUFFICIENT_CREDITS", tooMuch.code());
    assertEquals(700, api.get("/v1/wallets/sms-co").body().path("balances").path("sms").path("unassigned").asLong());

    ok(201, api.post("/v1/wallets/sms-co/reservations",
        "{\"reservationId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":300}],\"subBudget\":\"list-7\"}"));
    Api.Response exhausted = api.post("/v1/wallets/sms-co/reservations",
        "{\"reservationId\":\"b\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"subBudget\":\"list-7\"}");
    assertEquals(409, exhausted.status());
    assertEquals("SUB_BUDGET_EXHAUSTED", exhausted.code());
    ok(201, api.post("/v1/wallets/sms-co/debits",
        "{\"debitId\":\"c\",\"lines\":[{\"category\":\"sms\",\"amount\":700}],\"subBudget\":\"list-8\"}"));
    assertEquals("INSUFFICIENT_CREDITS", api.post("/v1/wallets/sms-co/reservations",
        "{\"reservationId\":\"d\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}").code());
    assertEquals("INVALID_REQUEST", api.post("/v1/wallets/sms-co/reservations",
        "{\"reservationId\":\"e\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"subBudget\":\"list-404\"}").code());

    ok(200, api.post("/v1/wallets/sms-co/reservations/a/commit", "{\"lines\":[{\"category\":\"sms\",\"amount\":12}]}"));
    JsonNode b7 = subBudget("sms-co", "list-7");
    assertEquals(300, b7.path("allocated").path("sms").asLong());
    assertEquals(12, b7.path("spent").path("sms").asLong());
    assertEquals(288, b7.path("unspent").path("sms").asLong());
    assertEquals(700, subBudget("sms-co", "list-8").path("spent").path("sms").asLong());
    Api.Response estimate = api.post("/v1/wallets/sms-co/estimate",
        "{\"lines\":[{\"category\":\"sms\",\"amount\":300}],\"subBudget\":\"list-7\"}");
    ok(200, estimate);
    assertEquals(288, estimate.body().path("affordableQuantity").asLong());
    assertTrue(api.get("/v1/wallets/sms-co/audit").body().path("consistent").asBoolean());
  }

  /** Seed 001: expired credits come off the unassigned pool first, then the lists, in proportion. */
  @Test
  void expiryTakesThePoolFirstThenTheListsInProportion() {
    ok(201, api.put("/v1/wallets/exp-co", "{}"));
    // Far enough out that the four writes below land before it, on a slow machine too.
    Instant expiry = Instant.now().plusSeconds(10);
    String expiresAt = expiry.toString();
    ok(201, api.post("/v1/wallets/exp-co/grants",
        "{\"grantId\":\"soon\",\"category\":\"sms\",\"amount\":1000,\"source\":\"PROMO\",\"expiresAt\":\"" + expiresAt + "\"}"));
    ok(201, api.post("/v1/wallets/exp-co/grants", "{\"grantId\":\"keep\",\"category\":\"sms\",\"amount\":100,\"source\":\"PACKAGE\"}"));
    ok(200, api.put("/v1/wallets/exp-co/sub-budgets/list-a", "{\"allocated\":{\"sms\":500}}"));
    ok(200, api.put("/v1/wallets/exp-co/sub-budgets/list-b", "{\"allocated\":{\"sms\":300}}"));
    ok(200, api.put("/v1/wallets/exp-co/sub-budgets/list-c", "{\"allocated\":{\"sms\":100}}"));
    assertTrue(Instant.now().isBefore(expiry), "the setup ended before the grant expired");

    api.await("/v1/wallets/exp-co", r -> r.body().path("balances").path("sms").path("available").asLong() == 100,
        Duration.ofSeconds(40));
    // 1000 expire: the pool's 200 first, then 800 off 500:300:100 = 444.4, 266.7, 88.9 -> 444, 267, 89.
    assertEquals(56, subBudget("exp-co", "list-a").path("unspent").path("sms").asLong());
    assertEquals(33, subBudget("exp-co", "list-b").path("unspent").path("sms").asLong());
    assertEquals(11, subBudget("exp-co", "list-c").path("unspent").path("sms").asLong());
    assertEquals(0, api.get("/v1/wallets/exp-co").body().path("balances").path("sms").path("unassigned").asLong());
    assertTrue(api.get("/v1/wallets/exp-co/audit").body().path("consistent").asBoolean());
  }
}
