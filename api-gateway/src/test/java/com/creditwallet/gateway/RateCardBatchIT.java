package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate card (PUT/GET /v1/operations), operation-form reservations, estimates, allowPartial
 * and POST /v1/batch over real HTTP against a real node on the real local Cassandra. Seed 004:
 * Gift Card Reminders cost 1 campaign credit, Postman 25, plus 1 app_email credit per unit with
 * the app's own email sender; "a Bronze shop (1,000 campaign credits) could use 500 Reminders +
 * 20 Postman = 1,000 credits".
 */
@ExtendWith(CassandraExtension.class)
class RateCardBatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REMINDER = "{'costs':{'campaign':1},'senderCosts':{'APP_EMAIL':{'app_email':1}}}";
  private static final String POSTMAN = "{'costs':{'campaign':25},'senderCosts':{'APP_EMAIL':{'app_email':1}}}";

  private static WalletNode node;
  private static Api api;
  private static CassandraTestKeyspace keyspace;

  @BeforeAll
  static void start(CassandraTestKeyspace ks) {
    keyspace = ks;
    node = TestNode.start(keyspace);
    api = TestNode.ready(node);
    Api.Response reminder = api.put("/v1/operations/gift_card_reminder", j(REMINDER));
    assertEquals(200, reminder.status(), reminder.raw());
    Api.Response postman = api.put("/v1/operations/gift_card_postman", j(POSTMAN));
    assertEquals(200, postman.status(), postman.raw());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  // ---- rate card --------------------------------------------------------------------------

  @Test
  void operationsAreStoredReadBackAndValidated() throws Exception {
    Api.Response stored = api.put("/v1/operations/gift_card_postman", j(POSTMAN));
    assertEquals(200, stored.status(), stored.raw());
    assertEquals(JSON.readTree(j("{'campaign':25}")), stored.body().path("costs"), stored.raw());
    assertEquals(JSON.readTree(j("{'APP_EMAIL':{'app_email':1}}")), stored.body().path("senderCosts"), stored.raw());
    assertEquals("gift_card_postman", stored.body().path("operation").asText(), stored.raw());
    Api.Response read = api.get("/v1/operations/gift_card_postman");
    assertEquals(200, read.status(), read.raw());
    assertEquals(stored.body(), read.body(), "GET answers the stored definition");

    // Replacing a definition: the GET follows.
    assertEquals(200, api.put("/v1/operations/scheduled_store_credit", j("{'costs':{'campaign':4}}")).status());
    Api.Response replaced = api.put("/v1/operations/scheduled_store_credit", j("{'costs':{'campaign':5}}"));
    assertEquals(200, replaced.status(), replaced.raw());
    assertEquals(5, api.get("/v1/operations/scheduled_store_credit").body().path("costs").path("campaign").asLong());
    assertTrue(api.get("/v1/operations/scheduled_store_credit").body().path("senderCosts").isEmpty(),
        "no senderCosts: every sender is free");

    String[][] bad = {
      {"{}", "costs"},
      {"{'costs':null}", "costs"},
      {"{'costs':[25]}", "costs"},
      {"{'costs':{}}", "costs"},
      {"{'costs':{'campaign':0}}", "costs"},
      {"{'costs':{'campaign':-1}}", "costs.campaign"},
      {"{'costs':{'campaign':'25'}}", "costs.campaign"},
      {"{'costs':{'campaign':2.5}}", "costs.campaign"},
      {"{'costs':{'campaign':1000000000001}}", "costs.campaign"},
      {"{'costs':{'Campaign':1}}", "costs.Campaign"},
      {"{'costs':{'campaign':1},'surprise':true}", "surprise"},
      {"{'costs':{'campaign':1},'senderCosts':{'APP_EMAIL':5}}", "senderCosts.APP_EMAIL"},
      {"{'costs':{'campaign':1},'senderCosts':{'APP_EMAIL':{'app_email':-1}}}", "senderCosts.APP_EMAIL.app_email"},
      {"{'costs':{'campaign':1},'senderCosts':{'APP_EMAIL':{'App Email':1}}}", "senderCosts.APP_EMAIL.App Email"},
      {"{'costs':{'campaign':1},'senderCosts':{'app email':{'app_email':1}}}", "senderCosts.app email"},
      {"{'costs':{'campaign':1},'senderCosts':[1]}", "senderCosts"},
    };
    for (String[] b : bad) {
      for (String op : List.of("never_defined", "gift_card_postman")) {
        Api.Response r = api.put("/v1/operations/" + op, j(b[0]));
        assertProblem(400, "INVALID_REQUEST", r);
        assertEquals(b[1], r.body().path("field").asText(), () -> j(b[0]) + " -> " + r.raw());
      }
    }
    Api.Response notJson = api.put("/v1/operations/never_defined", "{costs");
    assertProblem(400, "INVALID_REQUEST", notJson);
    assertEquals("body", notJson.body().path("field").asText());
    Api.Response badId = api.put("/v1/operations/bad%20op", j(POSTMAN));
    assertProblem(400, "INVALID_REQUEST", badId);
    assertEquals("operation", badId.body().path("field").asText(), badId.raw());
    assertProblem(400, "INVALID_REQUEST", api.get("/v1/operations/bad%20op"));

    assertEquals(stored.body(), api.get("/v1/operations/gift_card_postman").body(), "bad PUTs left the definition as it was");
    assertProblem(404, "OPERATION_NOT_FOUND", api.get("/v1/operations/never_defined"));
    assertProblem(404, "OPERATION_NOT_FOUND", api.get("/v1/operations/gift_card_unknown"));
  }

  // ---- seed 004 ---------------------------------------------------------------------------

  /** 500 Reminders (Shopify Email, free) + 20 Postman (app's sender) on 1,000 campaign credits. */
  @Test
  void bronzeShopExampleOfSeed004() {
    bronzeWallet("bronze", 1000, 1000);

    Api.Response reminders = api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-rem','operation':'gift_card_reminder','quantity':500,'sender':'SHOPIFY_EMAIL'}"));
    assertEquals(201, reminders.status(), reminders.raw());
    assertEquals("HELD", reminders.body().path("status").asText());
    assertEquals(Map.of("campaign", 500L), lines(reminders.body().path("lines")), "Shopify Email adds no app_email");
    assertEquals(500, reminders.body().path("quantity").asLong(), reminders.raw());
    assertEquals(500, reminders.body().path("requestedQuantity").asLong(), reminders.raw());

    Api.Response postman = api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-2','operation':'gift_card_postman','quantity':20,'sender':'APP_EMAIL'}"));
    assertEquals(201, postman.status(), postman.raw());
    JsonNode p = postman.body();
    assertEquals("r-2", p.path("reservationId").asText());
    assertEquals("HELD", p.path("status").asText());
    assertEquals(Map.of("campaign", 500L, "app_email", 20L), lines(p.path("lines")), "the contract's example answer");
    assertEquals(2, p.path("lines").size());
    assertEquals(20, p.path("quantity").asLong());
    assertEquals(20, p.path("requestedQuantity").asLong());
    assertTrue(p.path("expiresAt").asText().endsWith("Z"), postman.raw());
    assertEquals(201, api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-2','operation':'gift_card_postman','quantity':20,'sender':'APP_EMAIL'}")).status(), "idempotent");

    assertEquals(0, balance("bronze", "campaign").path("available").asLong(), "1,000 campaign credits used exactly");
    assertEquals(1000, balance("bronze", "campaign").path("held").asLong());
    assertEquals(980, balance("bronze", "app_email").path("available").asLong());
    assertEquals(20, balance("bronze", "app_email").path("held").asLong());

    Api.Response oneMore = api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-more','operation':'gift_card_reminder','quantity':1,'sender':'SHOPIFY_EMAIL'}"));
    assertProblem(409, "INSUFFICIENT_CREDITS", oneMore);
    assertEquals(0, oneMore.body().path("available").path("campaign").asLong(), oneMore.raw());

    Api.Response unknown = api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-x','operation':'gift_card_teleport','quantity':1}"));
    assertProblem(404, "OPERATION_NOT_FOUND", unknown);
    assertProblem(404, "OPERATION_NOT_FOUND", api.post("/v1/wallets/bronze/debits", j(
        "{'debitId':'d-x','operation':'gift_card_teleport','quantity':1}")));
    assertProblem(409, "IDEMPOTENCY_CONFLICT", api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-2','operation':'gift_card_postman','quantity':21,'sender':'APP_EMAIL'}")));
    Api.Response overflow = api.post("/v1/wallets/bronze/reservations", j(
        "{'reservationId':'r-huge','operation':'gift_card_postman','quantity':40000000001}"));
    assertProblem(400, "INVALID_REQUEST", overflow);
    assertEquals("quantity", overflow.body().path("field").asText(), "25 x 40,000,000,001 exceeds 10^12: " + overflow.raw());

    Api.Response got = api.get("/v1/wallets/bronze/reservations/r-2");
    assertEquals(200, got.status(), got.raw());
    assertEquals(20, got.body().path("quantity").asLong());
    assertEquals(20, got.body().path("requestedQuantity").asLong());
    assertEquals(200, api.post("/v1/wallets/bronze/reservations/r-rem/commit", "{}").status());
    Api.Response committed = api.post("/v1/wallets/bronze/reservations/r-2/commit", "{}");
    assertEquals(200, committed.status(), committed.raw());
    assertEquals(Map.of("campaign", 500L, "app_email", 20L), lines(committed.body().path("committed")));

    JsonNode audit = audit("bronze");
    assertEquals(1000, audit.path("categories").path("campaign").path("committed").asLong());
    assertEquals(20, audit.path("categories").path("app_email").path("committed").asLong());
  }

  /** A retry is answered with what was reserved, even after the operation's price changed. */
  @Test
  void aRetryAfterTheRateCardChangedAnswersTheOriginalReservation() {
    assertEquals(200, api.put("/v1/operations/repriced", j("{'costs':{'campaign':25}}")).status());
    wallet("repriced");
    grant("repriced", "p-c", "campaign", 1000);
    String body = j("{'reservationId':'r-1','operation':'repriced','quantity':20}");
    Api.Response first = api.post("/v1/wallets/repriced/reservations", body);
    assertEquals(201, first.status(), first.raw());
    assertEquals(Map.of("campaign", 500L), lines(first.body().path("lines")));

    assertEquals(200, api.put("/v1/operations/repriced", j("{'costs':{'campaign':30}}")).status());
    Api.Response retry = api.post("/v1/wallets/repriced/reservations", body);
    assertEquals(201, retry.status(), retry.raw());
    assertEquals(first.body(), retry.body(), "the original answer, not a repricing");
    assertEquals(500, balance("repriced", "campaign").path("available").asLong());
    Api.Response next = api.post("/v1/wallets/repriced/reservations", j("{'reservationId':'r-2','operation':'repriced','quantity':10}"));
    assertEquals(Map.of("campaign", 300L), lines(next.body().path("lines")), "new reservations pay the new price");
    audit("repriced");
  }

  // ---- estimates --------------------------------------------------------------------------

  @Test
  void estimatesPriceBothFormsAndChangeNothing() throws Exception {
    bronzeWallet("est", 1000, 1000);
    JsonNode walletBefore = api.get("/v1/wallets/est").body();
    JsonNode auditBefore = audit("est");
    long eventsBefore = journalEvents("est");

    Api.Response contract = api.post("/v1/wallets/est/estimate", j(
        "{'operation':'gift_card_postman','quantity':1000,'sender':'SHOPIFY_EMAIL'}"));
    assertEquals(200, contract.status(), contract.raw());
    assertEquals(JSON.readTree(j("{'cost':[{'category':'campaign','amount':25000}],'available':{'campaign':1000},"
        + "'sufficient':false,'affordableQuantity':40}")), contract.body(), "the contract's example, exactly");

    Api.Response app = api.post("/v1/wallets/est/estimate", j(
        "{'operation':'gift_card_postman','quantity':1000,'sender':'APP_EMAIL'}"));
    assertEquals(200, app.status(), app.raw());
    assertEquals(Map.of("campaign", 25000L, "app_email", 1000L), lines(app.body().path("cost")));
    assertEquals(1000, app.body().path("available").path("campaign").asLong());
    assertEquals(1000, app.body().path("available").path("app_email").asLong());
    assertFalse(app.body().path("sufficient").asBoolean());
    assertEquals(40, app.body().path("affordableQuantity").asLong());

    Api.Response enough = api.post("/v1/wallets/est/estimate", j(
        "{'operation':'gift_card_postman','quantity':40,'sender':'APP_EMAIL'}"));
    assertTrue(enough.body().path("sufficient").asBoolean(), enough.raw());
    assertEquals(40, enough.body().path("affordableQuantity").asLong());

    Api.Response noSender = api.post("/v1/wallets/est/estimate", j("{'operation':'gift_card_reminder','quantity':300}"));
    assertEquals(Map.of("campaign", 300L), lines(noSender.body().path("cost")), noSender.raw());

    Api.Response oneLine = api.post("/v1/wallets/est/estimate", j("{'lines':[{'category':'campaign','amount':300}]}"));
    assertEquals(200, oneLine.status(), oneLine.raw());
    assertEquals(Map.of("campaign", 300L), lines(oneLine.body().path("cost")));
    assertEquals(JSON.readTree(j("{'campaign':1000}")), oneLine.body().path("available"));
    assertTrue(oneLine.body().path("sufficient").asBoolean());
    assertEquals(300, oneLine.body().path("affordableQuantity").asLong(), oneLine.raw());

    Api.Response tooMuch = api.post("/v1/wallets/est/estimate", j("{'lines':[{'category':'campaign','amount':1500}]}"));
    assertFalse(tooMuch.body().path("sufficient").asBoolean(), tooMuch.raw());
    assertEquals(1000, tooMuch.body().path("affordableQuantity").asLong(), "as much as allowPartial would take");

    Api.Response twoLines = api.post("/v1/wallets/est/estimate", j(
        "{'lines':[{'category':'campaign','amount':300},{'category':'app_email','amount':1001}]}"));
    assertEquals(200, twoLines.status(), twoLines.raw());
    assertEquals(Map.of("campaign", 300L, "app_email", 1001L), lines(twoLines.body().path("cost")));
    assertFalse(twoLines.body().path("sufficient").asBoolean(), "one category short");
    assertTrue(twoLines.body().has("affordableQuantity"), twoLines.raw());

    assertProblem(404, "OPERATION_NOT_FOUND", api.post("/v1/wallets/est/estimate", j("{'operation':'nope','quantity':1}")));
    Api.Response overflow = api.post("/v1/wallets/est/estimate", j("{'operation':'gift_card_postman','quantity':40000000001}"));
    assertProblem(400, "INVALID_REQUEST", overflow);
    assertEquals("quantity", overflow.body().path("field").asText(), overflow.raw());
    assertProblem(400, "INVALID_REQUEST", api.post("/v1/wallets/est/estimate", "{}"));
    assertProblem(400, "INVALID_REQUEST", api.post("/v1/wallets/est/estimate", j("{'operation':'gift_card_postman','quantity':0}")));
    assertProblem(404, "WALLET_NOT_FOUND", api.post("/v1/wallets/est-ghost/estimate", j("{'operation':'gift_card_postman','quantity':1}")));

    assertEquals(walletBefore, api.get("/v1/wallets/est").body(), "estimates change no balance");
    assertEquals(auditBefore, audit("est"));
    assertEquals(eventsBefore, journalEvents("est"), "estimates persist nothing");
    // The estimate reads its body exactly like a reservation does.
    assertEquals("INVALID_REQUEST", api.post("/v1/wallets/est/estimate",
        "{\"lines\":[{\"category\":\"campaign\",\"amount\":5}],\"quantity\":7,\"sender\":\"APP_EMAIL\"}").code());
    assertEquals("INVALID_REQUEST", api.post("/v1/wallets/est/estimate",
        "{\"lines\":[],\"operation\":\"post\",\"quantity\":1}").code());
  }

  // ---- allowPartial -----------------------------------------------------------------------

  @Test
  void allowPartialOverHttp() {
    bronzeWallet("part", 1000, 30);
    // 50 Postman with the app's sender: campaign allows 40, app_email 30 -> 30.
    String partial = j("{'reservationId':'r-p','operation':'gift_card_postman','quantity':50,'sender':'APP_EMAIL','allowPartial':true}");
    Api.Response r = api.post("/v1/wallets/part/reservations", partial);
    assertEquals(201, r.status(), r.raw());
    assertEquals(30, r.body().path("quantity").asLong(), r.raw());
    assertEquals(50, r.body().path("requestedQuantity").asLong(), r.raw());
    assertEquals(Map.of("campaign", 750L, "app_email", 30L), lines(r.body().path("lines")));
    Api.Response again = api.post("/v1/wallets/part/reservations", partial);
    assertEquals(201, again.status());
    assertEquals(30, again.body().path("quantity").asLong(), "a repeat answers the original");

    Api.Response line = api.post("/v1/wallets/part/reservations",
        j("{'reservationId':'r-l','lines':[{'category':'campaign','amount':400}],'allowPartial':true}"));
    assertEquals(201, line.status(), line.raw());
    assertEquals(Map.of("campaign", 250L), lines(line.body().path("lines")), "the single line is cut to what is left");

    assertProblem(409, "INSUFFICIENT_CREDITS", api.post("/v1/wallets/part/reservations",
        j("{'reservationId':'r-n','operation':'gift_card_reminder','quantity':5,'allowPartial':true}")));
    assertProblem(409, "INSUFFICIENT_CREDITS", api.post("/v1/wallets/part/debits",
        j("{'debitId':'d-n','lines':[{'category':'campaign','amount':1}],'allowPartial':true}")));
    Api.Response two = api.post("/v1/wallets/part/reservations",
        j("{'reservationId':'r-2','lines':[{'category':'campaign','amount':1},{'category':'app_email','amount':1}],'allowPartial':true}"));
    assertProblem(400, "INVALID_REQUEST", two);
    assertEquals("allowPartial", two.body().path("field").asText(), two.raw());

    assertEquals(0, balance("part", "campaign").path("available").asLong());
    assertEquals(1000, balance("part", "campaign").path("held").asLong());
    assertEquals(0, balance("part", "app_email").path("available").asLong());
    audit("part");
  }

  // ---- batch ------------------------------------------------------------------------------

  /** One batch item: {@code wallet} is a logical wallet; "ghost" ones never exist. */
  private record Item(String wallet, String op, String body, int status, boolean batchOnly) {
    Item {
      body = j(body);
    }

    Item(String wallet, String op, String body, int status) {
      this(wallet, op, body, status, false);
    }
  }

  /**
   * Mixed ops over several wallets with failures among them: each result is exactly what the
   * single call answers for the same request on a twin wallet set up the same way.
   */
  @Test
  void batchAnswersEveryItemExactlyAsTheSingleCall() throws Exception {
    for (String side : List.of("-b", "-s")) {
      bronzeWallet("ta" + side, 1000, 1000);
      wallet("tb" + side);
      grant("tb" + side, "p-c", "campaign", 100);
      grant("tb" + side, "p-s", "sms", 50);
    }
    String postman20 = "{'reservationId':'r-1','operation':'gift_card_postman','quantity':20,'sender':'APP_EMAIL'}";
    List<Item> items = List.of(
        new Item("ta", "reserve", postman20, 201),
        new Item("tb", "reserve", "{'reservationId':'r-1','lines':[{'category':'sms','amount':10}],'reference':'c-42'}", 201),
        new Item("ta", "commit", "{'reservationId':'r-1'}", 200),
        new Item("ta", "reserve", "{'reservationId':'r-2','lines':[{'category':'campaign','amount':100}],'ttlSeconds':600}", 201),
        new Item("tb", "debit", "{'debitId':'d-1','operation':'gift_card_reminder','quantity':30,'sender':'SHOPIFY_EMAIL'}", 201),
        new Item("ta", "release", "{'reservationId':'r-2'}", 200),
        new Item("ta", "refund", "{'reservationId':'r-1','refundId':'f-1','lines':[{'category':'campaign','amount':25},{'category':'app_email','amount':1}],'reason':'BOUNCE'}", 200),
        new Item("tb", "reserve", "{'reservationId':'r-big','lines':[{'category':'campaign','amount':71}]}", 409),
        new Item("ta", "reserve", "{'reservationId':'r-bad','lines':[{'category':'campaign','amount':'3'}]}", 400),
        new Item("ghost-wallet", "reserve", "{'reservationId':'r-1','lines':[{'category':'campaign','amount':1}]}", 404),
        new Item("ta", "commit", "{'reservationId':'nope'}", 404),
        new Item("ta", "reserve", postman20, 201),
        new Item("ta", "reserve", "{'reservationId':'r-1','operation':'gift_card_postman','quantity':21,'sender':'APP_EMAIL'}", 409),
        new Item("ta", "release", "{'reservationId':'r-1'}", 409),
        new Item("ta", "reserve", "{'reservationId':'r-3','operation':'gift_card_teleport','quantity':1}", 404),
        new Item("ta", "commit", "{'reservationId':'r-2'}", 409),
        new Item("ta", "refund", "{'reservationId':'r-1','refundId':'f-2','lines':[{'category':'campaign','amount':476}]}", 409),
        new Item("tb", "reserve", "{'reservationId':'r-part','operation':'gift_card_postman','quantity':5,'sender':'SHOPIFY_EMAIL','allowPartial':true}", 201),
        new Item("tb", "commit", "{'reservationId':'r-part','lines':[{'category':'campaign','amount':25}]}", 200),
        new Item("ta", "debit", "{'debitId':'d-2','lines':[{'category':'campaign','amount':10},{'category':'app_email','amount':10}]}", 201),
        new Item("tb", "refund", "{'reservationId':'d-1','refundId':'f-1','lines':[{'category':'campaign','amount':5}]}", 200),
        new Item("ta", "reserve", "{'reservationId':'r-x','lines':[{'category':'campaign','amount':1}],'surprise':1}", 400),
        new Item("ta", "reserve", "{'reservationId':'r-4','operation':'gift_card_postman','quantity':1000,'sender':'APP_EMAIL'}", 409),
        new Item("tb", "release", "{'reservationId':'r-1'}", 200),
        new Item("tb", "reserve", "{'reservationId':'r-1','lines':[{'category':'sms','amount':10}],'reference':'c-42'}", 201),
        new Item("ta", "commit", "{}", 400, true),
        new Item("ta", "estimate", "{'operation':'gift_card_postman','quantity':1}", 400, true),
        new Item("tb", "commit", "{'reservationId':'r-1','extra':1}", 400, true));

    Api.Response batch = api.post("/v1/batch", batchJson(items, "-b"));
    assertEquals(200, batch.status(), batch.raw());
    JsonNode results = batch.body().path("results");
    assertEquals(items.size(), results.size(), batch.raw());
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      JsonNode result = results.get(i);
      int index = i;
      assertEquals(it.status(), result.path("status").asInt(), () -> "item " + index + " " + it + ": " + result);
      if (it.batchOnly()) {
        assertEquals("INVALID_REQUEST", result.path("body").path("code").asText(), result.toString());
        continue;
      }
      Api.Response single = single(it, "-s");
      assertEquals(single.status(), result.path("status").asInt(), () -> "item " + index + " " + it + ": batch " + result + " single " + single.raw());
      assertEquals(withoutInstants(single.body()), withoutInstants(result.path("body")),
          () -> "item " + index + " " + it + ": batch " + result + " single " + single.raw());
    }
    // Spot checks of what the statuses alone do not show.
    assertEquals("COMMITTED", results.get(2).path("body").path("status").asText(), "reserve then commit in one batch");
    assertEquals(Map.of("campaign", 500L, "app_email", 20L), lines(results.get(2).path("body").path("committed")));
    assertEquals("RELEASED", results.get(5).path("body").path("status").asText());
    assertEquals("INSUFFICIENT_CREDITS", results.get(7).path("body").path("code").asText());
    assertEquals("lines[0].amount", results.get(8).path("body").path("field").asText());
    assertEquals("WALLET_NOT_FOUND", results.get(9).path("body").path("code").asText());
    assertEquals("RESERVATION_NOT_FOUND", results.get(10).path("body").path("code").asText());
    assertEquals("IDEMPOTENCY_CONFLICT", results.get(12).path("body").path("code").asText());
    assertEquals("RESERVATION_COMMITTED", results.get(13).path("body").path("code").asText());
    assertEquals("OPERATION_NOT_FOUND", results.get(14).path("body").path("code").asText());
    assertEquals("RESERVATION_RELEASED", results.get(15).path("body").path("code").asText());
    assertEquals("REFUND_EXCEEDS_COMMITTED", results.get(16).path("body").path("code").asText());
    assertEquals(2, results.get(17).path("body").path("quantity").asLong(), "70 campaign left: 2 Postman of 5");
    assertEquals(5, results.get(17).path("body").path("requestedQuantity").asLong());
    assertEquals("d-2", results.get(19).path("body").path("debitId").asText());
    assertEquals("body.reservationId", results.get(25).path("body").path("field").asText());
    assertEquals("op", results.get(26).path("body").path("field").asText());

    // Both twins end the same, with the expected balances, and consistent.
    for (String w : List.of("ta", "tb")) {
      assertEquals(api.get("/v1/wallets/" + w + "-s").body().path("balances"), api.get("/v1/wallets/" + w + "-b").body().path("balances"), w);
      audit(w + "-b");
      audit(w + "-s");
    }
    assertEquals(1000 - 500 + 25 - 10, balance("ta-b", "campaign").path("available").asLong());
    assertEquals(1000 - 20 + 1 - 10, balance("ta-b", "app_email").path("available").asLong());
    assertEquals(0, balance("ta-b", "campaign").path("held").asLong());
    assertEquals(100 - 30 + 5 - 25, balance("tb-b", "campaign").path("available").asLong());
    assertEquals(50, balance("tb-b", "sms").path("available").asLong(), "r-1 released; its repeat re-holds nothing");
    assertEquals(0, balance("tb-b", "sms").path("held").asLong());
  }

  /** 1,000 reservations for one wallet in one batch: exactly as many succeed as credits allow. */
  @Test
  void aThousandRequestsForOneWalletInOneBatch() {
    bronzeWallet("bulk", 1000, 600);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(new Item("bulk", "reserve",
          "{'reservationId':'rem-" + i + "','operation':'gift_card_reminder','quantity':1,'sender':'APP_EMAIL'}", 0));
    }
    String body = batchJson(items, "");
    long start = System.nanoTime();
    Api.Response batch = api.post("/v1/batch", body);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("RateCardBatchIT: a 1,000-item batch for one wallet took " + millis + " ms");
    assertEquals(200, batch.status(), batch.raw());
    JsonNode results = batch.body().path("results");
    assertEquals(1000, results.size());
    int ok = 0;
    for (int i = 0; i < 1000; i++) {
      JsonNode r = results.get(i);
      if (i < 600) {
        assertEquals(201, r.path("status").asInt(), "item " + i + ": " + r);
        assertEquals("rem-" + i, r.path("body").path("reservationId").asText(), "results in request order");
        ok++;
      } else {
        assertEquals(409, r.path("status").asInt(), "item " + i + ": " + r);
        assertEquals("INSUFFICIENT_CREDITS", r.path("body").path("code").asText());
      }
    }
    assertEquals(600, ok, "app_email (600) binds: one per Reminder with the app's sender");
    assertEquals(400, balance("bulk", "campaign").path("available").asLong());
    assertEquals(600, balance("bulk", "campaign").path("held").asLong());
    assertEquals(0, balance("bulk", "app_email").path("available").asLong());
    assertEquals(600, balance("bulk", "app_email").path("held").asLong());
    JsonNode audit = audit("bulk");
    assertEquals(600, audit.path("categories").path("app_email").path("held").asLong());
    assertEquals("HELD", api.get("/v1/wallets/bulk/reservations/rem-599").body().path("status").asText());
    assertProblem(404, "RESERVATION_NOT_FOUND", api.get("/v1/wallets/bulk/reservations/rem-600"));
  }

  /**
   * Debits write two events each, with multi-category lines and a reference: the biggest journal
   * writes a batch makes. Every chunk must stay within Cassandra's batch size limit.
   */
  @Test
  void aBatchOfLargeDebitsFitsTheJournalsWrites() {
    assertEquals(201, api.put("/v1/wallets/heavy", "{}").status());
    for (String c : List.of("campaign", "app_email", "refund", "flow", "bulk_operation")) {
      assertEquals(201, api.post("/v1/wallets/heavy/grants",
          "{\"grantId\":\"g-" + c + "\",\"category\":\"" + c + "\",\"amount\":100000,\"source\":\"PACKAGE\"}").status());
    }
    StringBuilder body = new StringBuilder("{\"requests\":[");
    for (int i = 0; i < 300; i++) {
      if (i > 0) body.append(',');
      body.append("{\"walletId\":\"heavy\",\"op\":\"debit\",\"body\":{\"debitId\":\"debit-with-a-long-id-")
          .append(i).append("\",\"reference\":\"").append("campaign-reference-".repeat(10)).append(i)
          .append("\",\"lines\":[{\"category\":\"campaign\",\"amount\":3},{\"category\":\"app_email\",\"amount\":1},")
          .append("{\"category\":\"refund\",\"amount\":1},{\"category\":\"flow\",\"amount\":1},{\"category\":\"bulk_operation\",\"amount\":1}]}}");
    }
    Api.Response r = api.post("/v1/batch", body.append("]}").toString());
    assertEquals(200, r.status(), r.raw());
    for (JsonNode item : r.body().path("results")) assertEquals(201, item.path("status").asInt(), item.toString());
    assertEquals(100000 - 900, api.get("/v1/wallets/heavy").body().path("balances").path("campaign").path("available").asLong());
    assertTrue(api.get("/v1/wallets/heavy/audit").body().path("consistent").asBoolean());
  }

  @Test
  void batchSizeAndShapeLimits() {
    bronzeWallet("lim", 1000, 1000);
    long eventsBefore = journalEvents("lim");
    Api.Response none = api.post("/v1/batch", j("{'requests':[]}"));
    assertProblem(400, "INVALID_REQUEST", none);
    assertEquals("requests", none.body().path("field").asText());

    List<Item> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(new Item("lim", "reserve", "{'reservationId':'r-" + i + "','lines':[{'category':'campaign','amount':1}]}", 0));
    }
    Api.Response over = api.post("/v1/batch", batchJson(tooMany, ""));
    assertProblem(400, "INVALID_REQUEST", over);
    assertEquals("requests", over.body().path("field").asText());
    assertEquals(1000, balance("lim", "campaign").path("available").asLong(), "none of the 1,001 was applied");
    assertEquals(eventsBefore, journalEvents("lim"));

    assertProblem(400, "INVALID_REQUEST", api.post("/v1/batch", "{}"));
    assertProblem(400, "INVALID_REQUEST", api.post("/v1/batch", j("{'requests':{}}")));
    assertProblem(400, "INVALID_REQUEST", api.post("/v1/batch", "{requests"));
    Api.Response extra = api.post("/v1/batch", j("{'requests':[],'atomic':true}"));
    assertProblem(400, "INVALID_REQUEST", extra);
    assertEquals("atomic", extra.body().path("field").asText(), extra.raw());

    Api.Response one = api.post("/v1/batch", batchJson(List.of(tooMany.get(0)), ""));
    assertEquals(200, one.status(), one.raw());
    assertEquals(1, one.body().path("results").size());
    assertEquals(201, one.body().path("results").get(0).path("status").asInt());
    assertEquals(999, balance("lim", "campaign").path("available").asLong());

    // A malformed item is answered on its own; the items around it go through.
    Api.Response mixed = api.post("/v1/batch", j("{'requests':[5,{'walletId':'lim','op':'reserve','body':"
        + "{'reservationId':'r-m','lines':[{'category':'campaign','amount':1}]}},{'walletId':'bad id','op':'reserve','body':{}},"
        + "{'op':'reserve','body':{}},{'walletId':'lim','op':'reserve','body':7}]}"));
    assertEquals(200, mixed.status(), mixed.raw());
    JsonNode r = mixed.body().path("results");
    assertEquals(5, r.size());
    assertEquals(400, r.get(0).path("status").asInt());
    assertEquals(201, r.get(1).path("status").asInt(), r.toString());
    assertEquals("walletId", r.get(2).path("body").path("field").asText());
    assertEquals("walletId", r.get(3).path("body").path("field").asText());
    assertEquals(400, r.get(4).path("status").asInt());
    assertEquals(998, balance("lim", "campaign").path("available").asLong());
    audit("lim");
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Single quotes to double quotes: keeps the JSON in this file readable. */
  private static String j(String json) {
    return json.replace('\'', '"');
  }

  private static String batchJson(List<Item> items, String suffix) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode requests = root.putArray("requests");
    for (Item it : items) {
      ObjectNode r = requests.addObject();
      r.put("walletId", walletId(it.wallet(), suffix));
      r.put("op", it.op());
      try {
        r.set("body", JSON.readTree(it.body()));
      } catch (Exception e) {
        throw new IllegalArgumentException(it.body(), e);
      }
    }
    return root.toString();
  }

  private static String walletId(String wallet, String suffix) {
    return wallet.startsWith("ghost") ? wallet : wallet + suffix;
  }

  /** The single endpoint that answers what a batch item asks. */
  private static Api.Response single(Item it, String suffix) throws Exception {
    String base = "/v1/wallets/" + walletId(it.wallet(), suffix);
    switch (it.op()) {
      case "reserve":
        return api.post(base + "/reservations", it.body());
      case "debit":
        return api.post(base + "/debits", it.body());
      default:
        ObjectNode body = (ObjectNode) JSON.readTree(it.body());
        String id = body.remove("reservationId").asText();
        return api.post(base + "/reservations/" + id + "/" + it.op(), body.toString());
    }
  }

  private static JsonNode withoutInstants(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      ((ObjectNode) node).remove(List.of("createdAt", "expiresAt", "settledAt"));
      Iterator<JsonNode> it = node.elements();
      while (it.hasNext()) strip(it.next());
    } else if (node.isArray()) {
      node.forEach(RateCardBatchIT::strip);
    }
  }

  /** Lines as category -> amount (order aside). */
  private static Map<String, Long> lines(JsonNode lines) {
    assertTrue(lines.isArray(), "lines: " + lines);
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode l : lines) {
      assertEquals(null, out.put(l.path("category").asText(), l.path("amount").asLong()), "category twice in " + lines);
    }
    return out;
  }

  private static void wallet(String id) {
    Api.Response r = api.put("/v1/wallets/" + id, "{}");
    assertEquals(201, r.status(), r.raw());
  }

  private static void grant(String wallet, String grantId, String category, long amount) {
    Api.Response r = api.post("/v1/wallets/" + wallet + "/grants",
        "{\"grantId\":\"" + grantId + "\",\"category\":\"" + category + "\",\"amount\":" + amount + ",\"source\":\"PACKAGE\"}");
    assertEquals(201, r.status(), r.raw());
  }

  /** A wallet with campaign and app_email PACKAGE credits (seed 004's Bronze: 1,000 and 1,000). */
  private static void bronzeWallet(String id, long campaign, long appEmail) {
    wallet(id);
    grant(id, "pkg-campaign", "campaign", campaign);
    grant(id, "pkg-app-email", "app_email", appEmail);
  }

  private static JsonNode balance(String wallet, String category) {
    Api.Response w = api.get("/v1/wallets/" + wallet);
    assertEquals(200, w.status(), w.raw());
    return w.body().path("balances").path(category);
  }

  /** The audit, asserted consistent. */
  private static JsonNode audit(String wallet) {
    Api.Response a = api.get("/v1/wallets/" + wallet + "/audit");
    assertEquals(200, a.status(), a.raw());
    assertTrue(a.body().path("consistent").asBoolean(), a.raw());
    return a.body();
  }

  private static long journalEvents(String wallet) {
    try (CqlSession cql = keyspace.openSession()) {
      return cql.execute("SELECT count(*) FROM messages WHERE persistence_id = 'Wallet|" + wallet + "' AND partition_nr = 0")
          .one().getLong(0);
    }
  }

  private static void assertProblem(int status, String code, Api.Response r) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.code(), r.raw());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
  }
}
