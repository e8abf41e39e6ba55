package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger and usage reports over real HTTP on a real node: the wallets' ledger feeds fill
 * them from the wallets' events; paging with cursors, every filter, CSV and XLSX exports (the
 * XLSX opened back with POI), bad filters answered as problems, and the Prometheus scrape.
 */
@ExtendWith(CassandraExtension.class)
class LedgerApiIT {
  private static final String W = "ledger-co";
  /** Two grants, then 31 debits of one credit (RESERVED + COMMITTED lines each). */
  private static final int LINES = 2 + 31 * 2;

  private static WalletNode node;
  private static Api api;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static List<JsonNode> all;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = TestNode.start(keyspace);
    api = TestNode.ready(node);
    ok(201, api.put("/v1/wallets/" + W, "{\"lowBalanceThresholds\":{\"sms\":100}}"));
    ok(201, api.post("/v1/wallets/" + W + "/grants",
        "{\"grantId\":\"g-sms\",\"category\":\"sms\",\"amount\":1000,\"source\":\"TOPUP\"}"));
    ok(201, api.post("/v1/wallets/" + W + "/grants",
        "{\"grantId\":\"g-email\",\"category\":\"email\",\"amount\":100,\"source\":\"TOPUP\"}"));
    for (int i = 0; i < 30; i++) {
      String list = i % 2 == 0 ? "list-a" : "list-b";
      ok(200, api.put("/v1/wallets/" + W + "/sub-budgets/" + list, "{}"));
      ok(201, api.post("/v1/wallets/" + W + "/debits", "{\"debitId\":\"d-" + i + "\",\"lines\":[{\"category\":\"sms\","
          + "\"amount\":1}],\"subBudget\":\"" + list + "\",\"reference\":\"camp-" + (i % 3) + "\"}"));
    }
    ok(201, api.post("/v1/wallets/" + W + "/debits",
        "{\"debitId\":\"d-email\",\"lines\":[{\"category\":\"email\",\"amount\":1}]}"));
    Api.Response full = api.await("/v1/wallets/" + W + "/ledger?limit=1000",
        r -> r.status() == 200 && r.body().path("entries").size() == LINES, Duration.ofSeconds(60));
    // The usage totals are written after the lines they count: wait for them too.
    api.await("/v1/wallets/" + W + "/usage?groupBy=category", r -> {
      long committed = 0;
      for (JsonNode g : r.body().path("groups")) committed += g.path("committed").asLong();
      return r.status() == 200 && committed == 31;
    }, Duration.ofSeconds(60));
    all = new ArrayList<>();
    full.body().path("entries").forEach(all::add);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static void ok(int status, Api.Response r) {
    assertEquals(status, r.status(), r.raw());
  }

  private static HttpResponse<byte[]> raw(String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Authorization", "Bearer " + TestNode.ADMIN_KEY).timeout(Duration.ofSeconds(30));
    if (accept != null) b.header("Accept", accept);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String key(JsonNode e) {
    return e.path("seq").asLong() + "/" + e.path("at").asText() + "/" + e.path("type").asText() + "/"
        + e.path("grantId").asText();
  }

  @Test
  void pagesWithCursorsWalkTheWholeLedgerOnceInOrder() {
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Response page = api.get("/v1/wallets/" + W + "/ledger?limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
      ok(200, page);
      assertTrue(page.body().path("entries").size() <= 10);
      page.body().path("entries").forEach(e -> walked.add(key(e)));
      cursor = page.body().path("nextCursor").isNull() ? null : page.body().path("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 20);
    assertEquals(all.stream().map(LedgerApiIT::key).toList(), walked);
    assertEquals(LINES, new HashSet<>(walked).size());
    long previous = 0;
    for (JsonNode e : all) {
      assertTrue(e.path("seq").asLong() >= previous, "in journal order");
      previous = e.path("seq").asLong();
    }
    JsonNode first = all.get(0);
    assertEquals("GRANTED", first.path("type").asText());
    assertEquals(1000, first.path("amount").asLong());
    assertEquals(1000, first.path("available").asLong());
  }

  @Test
  void everyFilterKeepsOnlyItsLines() {
    JsonNode email = api.get("/v1/wallets/" + W + "/ledger?category=email").body().path("entries");
    assertEquals(List.of("GRANTED", "RESERVED", "COMMITTED"), types(email));
    JsonNode listA = api.get("/v1/wallets/" + W + "/ledger?subBudget=list-a&limit=1000").body().path("entries");
    assertEquals(30, listA.size());
    listA.forEach(e -> assertEquals("list-a", e.path("subBudget").asText()));
    JsonNode camp1 = api.get("/v1/wallets/" + W + "/ledger?reference=camp-1&limit=1000").body().path("entries");
    assertEquals(20, camp1.size());
    camp1.forEach(e -> assertEquals("camp-1", e.path("reference").asText()));
    JsonNode both = api.get("/v1/wallets/" + W + "/ledger?reference=camp-1&subBudget=list-b&category=sms&limit=1000")
        .body().path("entries");
    assertEquals(10, both.size());

    Instant from = Instant.parse(all.get(20).path("at").asText());
    Instant to = Instant.parse(all.get(40).path("at").asText());
    long expected = all.stream().map(e -> Instant.parse(e.path("at").asText()))
        .filter(at -> !at.isBefore(from) && at.isBefore(to)).count();
    JsonNode window = api.get("/v1/wallets/" + W + "/ledger?limit=1000&from=" + from + "&to=" + to).body().path("entries");
    assertEquals(expected, window.size());
    window.forEach(e -> {
      Instant at = Instant.parse(e.path("at").asText());
      assertTrue(!at.isBefore(from) && at.isBefore(to), at.toString());
    });
    assertEquals(0, api.get("/v1/wallets/" + W + "/ledger?to=2020-01-01").body().path("entries").size());
  }

  private static List<String> types(JsonNode entries) {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.path("type").asText()));
    return out;
  }

  @Test
  void badFiltersAreProblemsWithStableCodes() {
    for (String query : List.of("limit=0", "limit=1001", "limit=ten", "cursor=bm90LWEtY3Vyc29y", "category=SMS",
        "subBudget=a%20b", "from=yesterday", "from=2026-02-01&to=2026-01-01", "format=pdf", "colour=red")) {
      Api.Response r = api.get("/v1/wallets/" + W + "/ledger?" + query);
      assertEquals(400, r.status(), query + " -> " + r.raw());
      assertEquals("INVALID_REQUEST", r.code(), query);
      assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }
    Api.Response group = api.get("/v1/wallets/" + W + "/usage?groupBy=week");
    assertEquals(400, group.status());
    assertEquals("INVALID_REQUEST", group.code());
    assertEquals("WALLET_NOT_FOUND", api.get("/v1/wallets/nobody/ledger").code());
    assertEquals(404, api.get("/v1/wallets/nobody/usage").status());
  }

  @Test
  void csvHasTheColumnsAndEveryLine() throws Exception {
    HttpResponse<byte[]> csv = raw("/v1/wallets/" + W + "/ledger?format=csv", null);
    assertEquals(200, csv.statusCode());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    String[] lines = new String(csv.body(), java.nio.charset.StandardCharsets.UTF_8).split("\r\n");
    assertEquals("seq,at,type,category,amount,grantId,reservationId,subBudget,reference,operation,available,detail",
        lines[0]);
    assertEquals(LINES + 1, lines.length);
    String[] granted = lines[1].split(",", -1);
    assertEquals("GRANTED", granted[2]);
    assertEquals("1000", granted[4]);
    assertEquals("g-sms", granted[5]);

    HttpResponse<byte[]> byAccept = raw("/v1/wallets/" + W + "/ledger?category=email", "text/csv");
    assertTrue(byAccept.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertEquals(4, new String(byAccept.body(), java.nio.charset.StandardCharsets.UTF_8).split("\r\n").length);

    HttpResponse<byte[]> usage = raw("/v1/wallets/" + W + "/usage?groupBy=category&format=csv", null);
    String[] u = new String(usage.body(), java.nio.charset.StandardCharsets.UTF_8).split("\r\n");
    assertEquals("category,granted,committed,refunded,released,expired", u[0]);
    assertEquals("email,100,1,0,0,0", u[1]);
    assertEquals("sms,1000,30,0,0,0", u[2]);
  }

  @Test
  void xlsxOpensInPoiWithEveryLine() throws Exception {
    HttpResponse<byte[]> xlsx = raw("/v1/wallets/" + W + "/ledger?format=xlsx", null);
    assertEquals(200, xlsx.statusCode());
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
      Sheet sheet = wb.getSheetAt(0);
      assertEquals(LINES, sheet.getLastRowNum());
      Row head = sheet.getRow(0);
      assertEquals("seq", head.getCell(0).getStringCellValue());
      assertEquals("detail", head.getCell(11).getStringCellValue());
      Row first = sheet.getRow(1);
      assertEquals("GRANTED", first.getCell(2).getStringCellValue());
      assertEquals(1000.0, first.getCell(4).getNumericCellValue());
    }
    HttpResponse<byte[]> usage = raw("/v1/wallets/" + W + "/usage?groupBy=subBudget&format=xlsx", null);
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(usage.body()))) {
      Sheet sheet = wb.getSheetAt(0);
      assertEquals("subBudget", sheet.getRow(0).getCell(0).getStringCellValue());
      Map<String, Double> committed = new java.util.HashMap<>();
      for (int i = 1; i <= sheet.getLastRowNum(); i++) {
        committed.put(sheet.getRow(i).getCell(0).getStringCellValue(), sheet.getRow(i).getCell(2).getNumericCellValue());
      }
      assertEquals(Map.of("", 1.0, "list-a", 15.0, "list-b", 15.0), committed);
    }
  }

  @Test
  void usageGroupsByEachDimension() {
    JsonNode byCategory = api.get("/v1/wallets/" + W + "/usage?groupBy=category").body();
    assertEquals("category", byCategory.path("groupBy").asText());
    JsonNode sms = byCategory.path("groups").get(1);
    assertEquals("sms", sms.path("category").asText());
    assertEquals(1000, sms.path("granted").asLong());
    assertEquals(30, sms.path("committed").asLong());
    JsonNode byDay = api.get("/v1/wallets/" + W + "/usage").body().path("groups");
    assertTrue(byDay.size() >= 1 && byDay.size() <= 2, byDay.toString()); // around midnight: two days
    long committed = 0;
    for (JsonNode d : byDay) committed += d.path("committed").asLong();
    assertEquals(31, committed);
    JsonNode byOperation = api.get("/v1/wallets/" + W + "/usage?groupBy=operation").body().path("groups");
    assertEquals("", byOperation.get(0).path("operation").asText());
    assertEquals(31, byOperation.get(0).path("committed").asLong());
    Set<String> lists = new HashSet<>();
    api.get("/v1/wallets/" + W + "/usage?groupBy=subBudget").body().path("groups")
        .forEach(g -> lists.add(g.path("subBudget").asText()));
    assertEquals(Set.of("", "list-a", "list-b"), lists);
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    api.get("/v1/wallets/" + W + "/ledger?limit=1");
    api.await("/health/ready", r -> r.body().path("readSide").has("projectionLagMs"), Duration.ofSeconds(10));
    HttpResponse<byte[]> scrape = raw("/metrics", null);
    assertEquals(200, scrape.statusCode());
    String text = new String(scrape.body(), java.nio.charset.StandardCharsets.UTF_8);
    for (String metric : List.of(
        "http_server_requests_seconds_bucket{", "route=\"/v1/wallets/{id}/ledger\"", "status=\"200\"",
        "wallet_commands_total{", "outcome=\"accepted\"", "type=\"Reserve\"",
        "wallet_journal_write_seconds_count", "wallet_journal_write_events_count", "wallet_recovery_seconds_count",
        "wallet_projection_lag_seconds{", "wallet_active_wallets", "jvm_memory_used_bytes")) {
      assertTrue(text.contains(metric), "missing " + metric);
    }
    HttpResponse<byte[]> anonymous = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, anonymous.statusCode(), "scrapers need no key");
  }
}
