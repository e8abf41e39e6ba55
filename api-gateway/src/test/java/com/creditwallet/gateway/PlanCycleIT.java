package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Plans with seconds-long cycles and trials over real HTTP and Cassandra. Entities passivate
 * after one idle second here, so deadlines can only be met through the durable wake-up index.
 * Cycles and trials last 10 s: what a test does inside the first one must land in it on a slow,
 * loaded machine too (4 s was tight there).
 */
@ExtendWith(CassandraExtension.class)
class PlanCycleIT {
  private static WalletNode node;
  private static Api api;
  private static CassandraTestKeyspace keyspace;

  @BeforeAll
  static void start(CassandraTestKeyspace ks) {
    keyspace = ks;
    node = WalletNode.start(TestNode.config(ks, Map.of(
        "pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout", "1s")));
    api = TestNode.ready(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void plansAreStoredAndValidated() {
    Api.Response stored = api.put("/v1/plans/silver",
        "{\"allowances\":{\"campaign\":3000,\"refund\":150},\"unlimited\":[\"flow\"],\"cycle\":\"P1M\","
            + "\"rollover\":{\"campaign\":0},\"features\":{\"apiAccess\":true}}");
    assertEquals(200, stored.status(), stored.raw());
    Api.Response read = api.get("/v1/plans/silver");
    assertEquals(200, read.status());
    assertEquals(3000, read.body().path("allowances").path("campaign").asLong());
    assertEquals("flow", read.body().path("unlimited").get(0).asText());
    assertEquals("PLAN_NOT_FOUND", api.get("/v1/plans/nope").code());
    assertEquals("INVALID_REQUEST", api.put("/v1/plans/bad", "{\"allowances\":{\"sms\":-1},\"cycle\":\"P1M\"}").code());
    assertEquals("INVALID_REQUEST", api.put("/v1/plans/bad", "{\"allowances\":{\"sms\":1},\"cycle\":\"monthly\"}").code());
    assertEquals(201, api.put("/v1/wallets/nosuchplan", "{}").status());
    assertEquals("PLAN_NOT_FOUND", api.post("/v1/wallets/nosuchplan/plan", "{\"planId\":\"nope\"}").code());
  }

  /** Cycle end: unused PLAN credits expire, up to the cap roll over, fresh PLAN grants arrive. */
  @Test
  void cycleResetsWithRolloverAndUnlimitedCategories() {
    assertEquals(200, api.put("/v1/plans/tiny",
        "{\"allowances\":{\"campaign\":10,\"sms\":5},\"unlimited\":[\"flow\"],\"cycle\":\"PT10S\",\"rollover\":{\"campaign\":4}}").status());
    assertEquals(201, api.put("/v1/wallets/cyc", "{}").status());
    Api.Response subscribed = api.post("/v1/wallets/cyc/plan", "{\"planId\":\"tiny\"}");
    assertEquals(200, subscribed.status(), subscribed.raw());
    JsonNode plan = subscribed.body().path("plan");
    assertEquals("tiny", plan.path("planId").asText());
    Instant start = Instant.parse(plan.path("cycleStart").asText());
    assertEquals(start.plusSeconds(10), Instant.parse(plan.path("cycleEnd").asText()));
    assertEquals(10, subscribed.body().path("balances").path("campaign").path("available").asLong());
    assertTrue(subscribed.body().path("balances").path("flow").path("unlimited").asBoolean());
    assertEquals(200, api.post("/v1/wallets/cyc/plan", "{\"planId\":\"tiny\"}").status(), "same plan again: no change");

    assertEquals(201, api.post("/v1/wallets/cyc/debits",
        "{\"debitId\":\"d-1\",\"lines\":[{\"category\":\"campaign\",\"amount\":3},{\"category\":\"flow\",\"amount\":1000}]}").status());

    Api.Response reset = api.await("/v1/wallets/cyc",
        r -> !r.body().path("plan").path("cycleStart").asText().equals(plan.path("cycleStart").asText()),
        Duration.ofSeconds(40));
    JsonNode balances = reset.body().path("balances");
    assertEquals(14, balances.path("campaign").path("available").asLong(), "10 fresh + 4 rolled over of 7 unused");
    assertEquals(5, balances.path("sms").path("available").asLong(), "no rollover for sms");
    List<String> sources = new ArrayList<>();
    reset.body().path("grants").forEach(g -> sources.add(g.path("source").asText() + ":" + g.path("category").asText()));
    assertTrue(sources.contains("ROLLOVER:campaign"), sources.toString());

    Api.Response audit = api.get("/v1/wallets/cyc/audit");
    assertTrue(audit.body().path("consistent").asBoolean(), audit.raw());
    JsonNode campaign = audit.body().path("categories").path("campaign");
    assertTrue(campaign.path("expired").asLong() >= 7, audit.raw());
    assertEquals(1000, audit.body().path("categories").path("flow").path("metered").asLong());
  }

  /** Seed 004: once the trial ends every new reservation fails, whatever credits remain. */
  @Test
  void trialExpiryBlocksNewSpendingUntilAPaidPlan() {
    assertEquals(200, api.put("/v1/plans/trial-it",
        "{\"allowances\":{\"campaign\":5},\"cycle\":\"P30D\",\"trial\":{\"duration\":\"PT10S\",\"credits\":{\"campaign\":50}}}").status());
    assertEquals(200, api.put("/v1/plans/paid-it", "{\"allowances\":{\"campaign\":100},\"cycle\":\"P30D\"}").status());
    assertEquals(201, api.put("/v1/wallets/tri", "{}").status());
    Api.Response trial = api.post("/v1/wallets/tri/plan", "{\"planId\":\"trial-it\"}");
    assertEquals("TRIAL", trial.body().path("status").asText(), trial.raw());
    assertEquals(55, trial.body().path("balances").path("campaign").path("available").asLong());
    assertEquals(201, api.post("/v1/wallets/tri/reservations",
        "{\"reservationId\":\"before\",\"lines\":[{\"category\":\"campaign\",\"amount\":2}],\"ttlSeconds\":600}").status());

    api.await("/v1/wallets/tri", r -> r.body().path("status").asText().equals("TRIAL_EXPIRED"), Duration.ofSeconds(40));
    Api.Response blocked = api.post("/v1/wallets/tri/reservations",
        "{\"reservationId\":\"after\",\"lines\":[{\"category\":\"campaign\",\"amount\":1}]}");
    assertEquals(403, blocked.status(), blocked.raw());
    assertEquals("TRIAL_EXPIRED", blocked.code());
    assertEquals("TRIAL_EXPIRED", api.post("/v1/wallets/tri/debits",
        "{\"debitId\":\"after\",\"lines\":[{\"category\":\"campaign\",\"amount\":1}]}").code());
    assertEquals(200, api.post("/v1/wallets/tri/reservations/before/commit", "{}").status(), "existing holds still settle");
    assertEquals(200, api.post("/v1/wallets/tri/plan", "{\"planId\":\"trial-it\"}").status(), "the current plan again: no change");
    assertEquals(200, api.put("/v1/plans/trial-it-2",
        "{\"allowances\":{\"campaign\":5},\"cycle\":\"P30D\",\"trial\":{\"duration\":\"P7D\",\"credits\":{\"campaign\":50}}}").status());
    assertEquals("TRIAL_ALREADY_USED", api.post("/v1/wallets/tri/plan", "{\"planId\":\"trial-it-2\"}").code(), "one trial per wallet");

    Api.Response paid = api.post("/v1/wallets/tri/plan", "{\"planId\":\"paid-it\"}");
    assertEquals("ACTIVE", paid.body().path("status").asText(), paid.raw());
    assertEquals(201, api.post("/v1/wallets/tri/reservations",
        "{\"reservationId\":\"paid\",\"lines\":[{\"category\":\"campaign\",\"amount\":1}]}").status());
    assertTrue(api.get("/v1/wallets/tri/audit").body().path("consistent").asBoolean());
  }

  /**
   * The wallet passivates (1 s idle) and nobody asks anything: its cycle still resets on time,
   * which only the wake-up index can do. Observed in the journal, since any API read would
   * itself apply the due deadline.
   */
  @Test
  void passivatedWalletIsWokenForItsCycleEnd() throws InterruptedException {
    assertEquals(200, api.put("/v1/plans/sleepy", "{\"allowances\":{\"sms\":7},\"cycle\":\"PT10S\"}").status());
    assertEquals(201, api.put("/v1/wallets/sleeper", "{}").status());
    Api.Response subscribed = api.post("/v1/wallets/sleeper/plan", "{\"planId\":\"sleepy\"}");
    Instant cycleEnd = Instant.parse(subscribed.body().path("plan").path("cycleEnd").asText());
    try (CqlSession cql = keyspace.openSession()) {
      assertFalse(journalHas(cql, "sleeper", "CycleReset"));
      Instant deadline = cycleEnd.plusSeconds(30);
      boolean reset = false;
      while (!reset && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
        reset = journalHas(cql, "sleeper", "CycleReset");
      }
      assertTrue(reset, "the cycle reset was persisted without any request");
      Instant woken = Instant.now();
      assertTrue(woken.isBefore(cycleEnd.plusSeconds(10)), "reset within a few seconds of the cycle end, was at " + woken);
    }
  }

  private static boolean journalHas(CqlSession cql, String walletId, String eventType) {
    for (Row row : cql.execute(
        "SELECT ser_manifest FROM messages WHERE persistence_id = 'Wallet|" + walletId + "' AND partition_nr = 0")) {
      if (row.getString("ser_manifest").endsWith(eventType)) return true;
    }
    return false;
  }
}
