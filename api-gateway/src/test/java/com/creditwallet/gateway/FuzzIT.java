package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wallet.domain.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of generated and mutated requests against a real node (real HTTP, real Cassandra),
 * from a fixed seed so that a failure can be replayed. Each worker owns one wallet and sends, in
 * order: valid requests of every kind (grants, holds, commits, releases, refunds, debits,
 * estimates, sub-budgets, plans, batches, reads), the same requests mutated (fields removed,
 * wrong types, out-of-range numbers and durations, bad ids, unknown fields, duplicate keys,
 * trailing garbage, truncated or flipped bytes, wrong paths and methods, missing keys, raw bytes
 * a polite client would never send), and replays of earlier requests. Checked on every answer: no
 * 5xx; every 4xx is problem+json with its status and a code; after every 4xx and every replay the
 * wallet (balances, grants, sub-budgets) and its audit are exactly as before; the audit stays
 * consistent.
 *
 * <p>Valid requests never create short deadlines (holds live an hour, grants expire in years,
 * plans run monthly) and mutations never produce a shorter valid one, so no wallet changes by
 * itself while a comparison is made.
 */
@ExtendWith(CassandraExtension.class)
class FuzzIT {
  private static final long SEED = Long.getLong("fuzz.seed", 20261123L);
  private static final int WORKERS = 4;
  private static final int REQUESTS_PER_WORKER = Integer.getInteger("fuzz.requests", 2_600);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> CATEGORIES = List.of("sms", "email", "campaign");

  @Test
  void generatedAndMutatedRequestsNeverFaultAndBadOnesChangeNothing(CassandraTestKeyspace keyspace) throws Exception {
    try (WalletNode node = TestNode.start(keyspace)) {
      Api admin = TestNode.ready(node);
      assertEquals(200, admin.put("/v1/plans/fz-plan", "{\"allowances\":{\"campaign\":500,\"sms\":100},\"cycle\":\"P1M\","
          + "\"rollover\":{\"campaign\":100},\"features\":{\"apiAccess\":true}}").status());
      assertEquals(200, admin.put("/v1/operations/fz-op", "{\"costs\":{\"campaign\":3},\"senderCosts\":{\"APP\":{\"email\":1}}}")
          .status());
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      List<Future<Worker>> runs = new ArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        Worker w = new Worker(node.httpPort(), i);
        runs.add(pool.submit(() -> w.run()));
      }
      int total = 0;
      Map<Integer, Integer> statuses = new java.util.TreeMap<>();
      for (Future<Worker> f : runs) {
        Worker w = f.get();
        total += w.sent;
        w.statuses.forEach((k, v) -> statuses.merge(k, v, Integer::sum));
      }
      pool.shutdown();
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      System.out.println("FuzzIT: " + total + " requests in " + seconds + " s, statuses " + statuses);
      assertTrue(total >= 10_000, "at least 10,000 fuzz requests, sent " + total);
      assertTrue(statuses.getOrDefault(400, 0) > 1_000, () -> "many refusals: " + statuses);
      int accepted = statuses.getOrDefault(200, 0) + statuses.getOrDefault(201, 0);
      assertTrue(accepted > 1_000, () -> "many successes too: " + statuses);
    }
  }

  /** One wallet, one seeded generator, one connection pool; requests strictly in order. */
  private static final class Worker {
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    final RawHttp raw;
    final String base;
    final String wallet;
    final Random rnd;
    final Map<Integer, Integer> statuses = new LinkedHashMap<>();
    final List<String> reservations = new ArrayList<>();
    final List<Sent> replayable = new ArrayList<>();
    int sent;
    int ids;
    String snapshot;

    record Req(String method, String path, String body, boolean auth) {}

    record Sent(Req req, int status, String body) {}

    record Answer(int status, String contentType, String body) {}

    Worker(int port, int index) {
      this.raw = new RawHttp(port);
      this.base = "http://127.0.0.1:" + port;
      this.wallet = "fz-" + index;
      this.rnd = new Random(SEED * 31 + index);
    }

    Worker run() {
      expect(2, send(new Req("PUT", "/v1/wallets/" + wallet, "{\"timeZone\":\"Europe/Rome\"}", true)), "create");
      expect(2, send(new Req("POST", "/v1/wallets/" + wallet + "/grants",
          "{\"grantId\":\"seed\",\"category\":\"sms\",\"amount\":100000,\"source\":\"PACKAGE\"}", true)), "seed grant");
      snapshot = walletState();
      while (sent < REQUESTS_PER_WORKER) {
        int dice = rnd.nextInt(100);
        if (dice < 6 && !replayable.isEmpty()) replay();
        else if (dice < 14) rawRequest();
        else {
          Req valid = generate();
          fuzz(dice < 30 ? valid : mutate(valid));
        }
      }
      String audit = get("/v1/wallets/" + wallet + "/audit").body;
      assertTrue(read(audit).path("consistent").asBoolean(), () -> wallet + " audit " + audit);
      return this;
    }

    // ---- generation -------------------------------------------------------------------------

    String id(String prefix) {
      return prefix + "-" + (++ids);
    }

    String pick(List<String> from) {
      return from.get(rnd.nextInt(from.size()));
    }

    String someReservation() {
      return reservations.isEmpty() || rnd.nextInt(10) == 0 ? "r-none" : pick(reservations);
    }

    ArrayNode lines(int max) {
      ArrayNode lines = NODES.arrayNode();
      List<String> cats = new ArrayList<>(CATEGORIES);
      for (int i = 0, n = 1 + rnd.nextInt(max); i < n; i++) {
        lines.addObject().put("category", cats.remove(rnd.nextInt(cats.size()))).put("amount", 1 + rnd.nextInt(30));
      }
      return lines;
    }

    Req generate() {
      String w = "/v1/wallets/" + wallet;
      ObjectNode b = NODES.objectNode();
      switch (rnd.nextInt(14)) {
        case 0 -> {
          b.put("timeZone", pick(List.of("UTC", "Europe/Rome", "America/New_York")));
          b.put("consumptionOrder", pick(List.of("EXPIRING_FIRST", "NON_EXPIRING_FIRST")));
          b.putObject("lowBalanceThresholds").put("sms", rnd.nextInt(200));
          return new Req("PUT", w, b.toString(), true);
        }
        case 1, 2 -> {
          String source = pick(List.of("PACKAGE", "PROMO", "ADJUSTMENT", "TOPUP"));
          b.put("grantId", rnd.nextInt(6) == 0 ? "plan:fz-plan:" + (2 + rnd.nextInt(3)) + ":campaign" : id("g"));
          b.put("category", pick(CATEGORIES)).put("amount", source.equals("TOPUP") ? 100 + rnd.nextInt(900) : 1 + rnd.nextInt(500));
          b.put("source", source).put("priority", rnd.nextInt(5) - 2);
          switch (rnd.nextInt(4)) {
            case 0 -> b.put("validFor", pick(List.of("P2Y", "P1Y", "P100Y")));
            case 1 -> b.put("expiresOn", "2040-0" + (1 + rnd.nextInt(9)) + "-15");
            case 2 -> b.put("expiresAt", "2035-01-01T00:00:00Z");
            default -> { }
          }
          return new Req("POST", w + "/grants", b.toString(), true);
        }
        case 3, 4 -> {
          String r = id("r");
          reservations.add(r);
          b.put("reservationId", r).set("lines", lines(3));
          b.put("ttlSeconds", 3_600 + rnd.nextInt(3_600)).put("reference", "ref-" + rnd.nextInt(50));
          if (rnd.nextInt(4) == 0) b.put("allowPartial", true).set("lines", lines(1));
          return new Req("POST", w + "/reservations", b.toString(), true);
        }
        case 5 -> {
          String r = id("r");
          reservations.add(r);
          b.put("reservationId", r).put("operation", "fz-op").put("quantity", 1 + rnd.nextInt(20));
          if (rnd.nextBoolean()) b.put("sender", "APP");
          return new Req("POST", w + "/reservations", b.toString(), true);
        }
        case 6 -> {
          if (rnd.nextBoolean()) b.set("lines", lines(1));
          return new Req("POST", w + "/reservations/" + someReservation() + "/commit", b.toString(), true);
        }
        case 7 -> {
          return new Req("POST", w + "/reservations/" + someReservation() + "/release", "{}", true);
        }
        case 8 -> {
          b.put("refundId", id("f")).set("lines", lines(1));
          b.put("reason", "BOUNCE");
          return new Req("POST", w + "/reservations/" + someReservation() + "/refund", b.toString(), true);
        }
        case 9 -> {
          b.put("debitId", id("d")).set("lines", lines(2));
          return new Req("POST", w + "/debits", b.toString(), true);
        }
        case 10 -> {
          if (rnd.nextBoolean()) b.set("lines", lines(3));
          else b.put("operation", "fz-op").put("quantity", 1 + rnd.nextInt(1_000));
          return new Req("POST", w + "/estimate", b.toString(), true);
        }
        case 11 -> {
          b.putObject("allocated").put("sms", rnd.nextInt(50));
          return new Req("PUT", w + "/sub-budgets/list-" + rnd.nextInt(3), b.toString(), true);
        }
        case 12 -> {
          ArrayNode items = b.putArray("requests");
          for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
            ObjectNode item = items.addObject().put("walletId", wallet);
            String r = id("r");
            reservations.add(r);
            item.put("op", "reserve").putObject("body").put("reservationId", r).set("lines", lines(1));
          }
          return new Req("POST", "/v1/batch", b.toString(), true);
        }
        default -> {
          return switch (rnd.nextInt(5)) {
            case 4 -> new Req("GET", w + pick(List.of("/ledger", "/usage")) + "?" + query(), null, true);
            case 0 -> new Req("GET", w, null, true);
            case 1 -> new Req("GET", w + "/reservations/" + someReservation(), null, true);
            case 2 -> new Req("POST", w + "/plan", "{\"planId\":\"fz-plan\"}", true);
            default -> new Req("GET", w + "/audit", null, true);
          };
        }
      }
    }

    /** Report parameters, valid or not (the reports are read-only: any answer but a 5xx will do). */
    String query() {
      List<String> parts = new ArrayList<>();
      for (String p : List.of("from", "to", "category", "subBudget", "reference", "limit", "cursor", "groupBy", "format")) {
        if (rnd.nextInt(3) != 0) continue;
        String v = switch (p) {
          case "from", "to" -> pick(List.of("2026-01-01T00:00:00Z", "2026-01-01", "yesterday", "-1", "+999999999-12-31T23:59:59Z"));
          case "limit" -> pick(List.of("10", "0", "-1", "99999999999", "x"));
          case "groupBy" -> pick(List.of("day", "category", "subBudget", "operation", "week", ""));
          case "format" -> pick(List.of("json", "csv", "pdf"));
          case "cursor" -> pick(List.of("abc", "", "%00", "1:2:3"));
          default -> pick(List.of("sms", "list-1", "x".repeat(70), "%C3%A9"));
        };
        parts.add(p + "=" + v);
      }
      return String.join("&", parts);
    }

    // ---- mutation ---------------------------------------------------------------------------

    /** Values that no field of the contract accepts where a differently typed one is due, or out of range. */
    JsonNode badValue() {
      return switch (rnd.nextInt(22)) {
        case 0 -> NODES.nullNode();
        case 1 -> NODES.numberNode(0);
        case 2 -> NODES.numberNode(-1);
        case 3 -> NODES.numberNode(1_000_000_000_001L);
        case 4 -> NODES.numberNode(new java.math.BigInteger("99999999999999999999999"));
        case 5 -> NODES.numberNode(1.5);
        case 6 -> NODES.textNode("");
        case 7 -> NODES.textNode("x".repeat(65));
        case 8 -> NODES.textNode("caf\u00e9 \u0000 \ud83d\udcb8");
        case 9 -> NODES.textNode("P999999999Y");
        case 10 -> NODES.textNode("+999999999-12-31T23:59:59Z");
        case 11 -> NODES.textNode("+999999999-12-31");
        case 12 -> NODES.textNode("P99999999D");
        case 13 -> NODES.booleanNode(true);
        case 14 -> NODES.arrayNode().add(1);
        case 15 -> NODES.objectNode().put("a", 1);
        case 16 -> NODES.textNode("PT0S");
        case 17 -> NODES.numberNode(Validation.MAX_TTL_SECONDS + 1);
        case 18 -> NODES.textNode("../../etc/passwd");
        case 19 -> NODES.textNode("1999-01-01");
        case 20 -> NODES.textNode("NOT_A_SOURCE");
        default -> NODES.textNode("y".repeat(10_000));
      };
    }

    Req mutate(Req r) {
      int how = rnd.nextInt(16);
      if (r.body == null || how >= 12) return mutateRequestLine(r, how);
      JsonNode tree = read(r.body);
      String body = switch (how) {
        case 0, 1, 2 -> withBadField(tree).toString();
        case 3 -> withoutField(tree).toString();
        case 4 -> { ((ObjectNode) tree).put("unexpected" + rnd.nextInt(3), 1); yield tree.toString(); }
        case 5 -> r.body + pick(List.of("trailing", "}", "]", " 1", r.body, "\u0000"));
        case 6 -> r.body.substring(0, rnd.nextInt(Math.max(1, r.body.length())));
        case 7 -> duplicateKey(r.body);
        case 8 -> flipBytes(r.body);
        case 9 -> pick(List.of("[]", "1", "\"s\"", "null", "true", "{\"a\":" + "[".repeat(3_000)));
        case 10 -> withBadField(withBadField(tree)).toString();
        default -> nestedBad(tree).toString();
      };
      return new Req(r.method, r.path, body, r.auth);
    }

    Req mutateRequestLine(Req r, int how) {
      return switch (how % 4) {
        case 0 -> new Req(r.method, r.path, r.body, false);
        case 1 -> new Req(pick(List.of("DELETE", "PATCH", "PUT", "GET", "POST")), r.path, r.body, true);
        case 2 -> new Req(r.method, r.path.replace("/v1/wallets/" + wallet,
            "/v1/wallets/" + pick(List.of("x".repeat(65), "a%20b", "%2e%2e", "w%C3%A9", "-", "a..b%3F"))), r.body, true);
        default -> new Req(r.method, r.path + pick(List.of("/x", "/", "//", "?limit=-1", "/reservations")), r.body, true);
      };
    }

    JsonNode withBadField(JsonNode tree) {
      if (!(tree instanceof ObjectNode o) || o.isEmpty()) return tree;
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      o.set(pick(names), badValue());
      return o;
    }

    JsonNode withoutField(JsonNode tree) {
      if (!(tree instanceof ObjectNode o) || o.isEmpty()) return tree;
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      o.remove(pick(names));
      return o;
    }

    /** A bad value inside a nested object or array (a line, an allocation, a batch item). */
    JsonNode nestedBad(JsonNode tree) {
      List<JsonNode> containers = new ArrayList<>();
      collect(tree, containers);
      if (containers.isEmpty()) return withBadField(tree);
      JsonNode c = containers.get(rnd.nextInt(containers.size()));
      if (c instanceof ObjectNode o && !o.isEmpty()) withBadField(o);
      else if (c instanceof ArrayNode a) a.add(badValue());
      return tree;
    }

    void collect(JsonNode n, List<JsonNode> out) {
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        JsonNode child = it.next();
        if (child.isContainerNode()) {
          out.add(child);
          collect(child, out);
        }
      }
    }

    String duplicateKey(String body) {
      int colon = body.indexOf("\":");
      int start = body.lastIndexOf('"', colon - 1);
      if (start < 0 || colon < 0 || !body.startsWith("{")) return body + "x";
      String key = body.substring(start, colon + 1);
      return "{" + key + ":1," + body.substring(1);
    }

    String flipBytes(String body) {
      char[] c = body.toCharArray();
      for (int i = 0, n = 1 + rnd.nextInt(3); i < n && c.length > 0; i++) {
        String junk = "{}[]\",:0-e\\ \u00ff";
        c[rnd.nextInt(c.length)] = junk.charAt(rnd.nextInt(junk.length()));
      }
      return new String(c);
    }

    // ---- raw requests -------------------------------------------------------------------------

    void rawRequest() {
      String auth = "Authorization: Bearer " + TestNode.ADMIN_KEY + "\r\n";
      String head = switch (rnd.nextInt(8)) {
        case 0 -> "GET /v1/wallets/" + "w".repeat(3_000 + rnd.nextInt(5_000)) + " HTTP/1.1\r\nHost: x\r\n" + auth;
        case 1 -> "GET /v1/wallets/" + wallet + "\u00e9\u00ff HTTP/1.1\r\nHost: x\r\n" + auth;
        case 2 -> "POST /v1/wallets/" + wallet + "/grants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + auth
            + "\r\nQQ\r\n{}\r\n0";
        case 3 -> "PUT /v1/wallets/" + wallet + " HTTP/1.1\r\nHost: x\r\nContent-Length: x" + rnd.nextInt(9) + "\r\n" + auth;
        case 4 -> "GET /v1/wallets/" + wallet + " HTTP/1.1\r\nHost: x\r\nX-" + "h".repeat(9_000) + ": 1\r\n" + auth;
        case 5 -> "FROB /v1/wallets/" + wallet + " HTTP/1.1\r\nHost: x\r\n" + auth;
        case 6 -> "GET /v1/wallets/%" + Integer.toHexString(rnd.nextInt(16)) + "z HTTP/1.1\r\nHost: x\r\n" + auth;
        default -> "GET /v1/wallets/" + wallet + " HTTP/7.0\r\nHost: x\r\n" + auth;
      };
      RawHttp.Response r = rawWithRetries((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), head);
      sent++;
      check(new Req("RAW", head.substring(0, Math.min(60, head.length())), null, true),
          new Answer(r.status(), r.contentType(), r.body()));
    }

    /**
     * A request the server refuses before reading all of it (an oversized path or header) is
     * answered and the connection closed with request bytes still unread; the kernel then resets
     * the connection, and the reset can overtake the answer on the client's side. That is TCP, not
     * the server's answer: such a request is sent again (at most 3 times); any other failure, or
     * resets every time, fails the test.
     */
    RawHttp.Response rawWithRetries(byte[] request, String head) {
      for (int attempt = 1; ; attempt++) {
        try {
          return raw.raw(request);
        } catch (IllegalStateException e) {
          boolean reset = String.valueOf(e.getMessage()).contains("Connection reset");
          if (!reset || attempt == 3) {
            throw new IllegalStateException("raw request " + head.substring(0, Math.min(80, head.length()))
                + " failed (attempt " + attempt + ")", e);
          }
        }
      }
    }

    // ---- sending and checking ---------------------------------------------------------------

    void fuzz(Req r) {
      Answer a = send(r);
      sent++;
      check(r, a);
      boolean mutating = !r.method.equals("GET");
      if (a.status < 300 && mutating) {
        snapshot = walletState();
        boolean spending = r.path.endsWith("/reservations") || r.path.endsWith("/commit") || r.path.endsWith("/refund")
            || r.path.endsWith("/debits");
        if (spending && r.auth && r.path.startsWith("/v1/wallets/" + wallet + "/")) {
          replayable.add(new Sent(r, a.status, a.body));
        }
      }
    }

    /** A repeat of an earlier successful reserve, commit, refund or debit: the same answer, no change. */
    void replay() {
      Sent s = replayable.get(rnd.nextInt(replayable.size()));
      Answer a = send(s.req);
      sent++;
      check(s.req, a);
      {
        assertEquals(s.status, a.status, () -> "replay of " + s.req + ": " + a.body);
        assertEquals(read(s.body), read(a.body), () -> "replay of " + s.req);
      }
      assertUnchanged(s.req, "a replay");
    }

    void check(Req r, Answer a) {
      statuses.merge(a.status, 1, Integer::sum);
      if (a.status >= 500) fail(wallet + ": " + a.status + " for " + r + ": " + a.body);
      if (a.status >= 400) {
        assertTrue(a.contentType.startsWith("application/problem+json"), () -> "problem+json for " + r + ": " + a);
        JsonNode p = read(a.body);
        assertEquals(a.status, p.path("status").asInt(), () -> "status in the problem of " + r + ": " + a.body);
        assertTrue(p.path("code").isTextual() && !p.path("code").asText().isEmpty(), () -> "code for " + r + ": " + a.body);
        // Reads cannot change anything; every other refused request is checked.
        if (!r.method.equals("GET") && !r.path.startsWith("GET ")) assertUnchanged(r, "a refused request");
      } else if (r.path.equals("/v1/batch") && a.status == 200) {
        for (JsonNode item : read(a.body).path("results")) {
          int st = item.path("status").asInt();
          assertTrue(st < 500, () -> "batch item for " + r + ": " + a.body);
          if (st >= 400) assertEquals(st, item.path("body").path("status").asInt(), () -> "batch item problem " + a.body);
        }
      }
    }

    void assertUnchanged(Req r, String what) {
      String now = walletState();
      if (!now.equals(snapshot)) fail(wallet + ": " + what + " changed the wallet: " + r + "\nbefore " + snapshot + "\nafter  " + now);
    }

    /** Balances, grants and sub-budgets, and the audit's consistency and per-category totals. */
    String walletState() {
      Answer w = get("/v1/wallets/" + wallet);
      Answer audit = get("/v1/wallets/" + wallet + "/audit");
      assertEquals(200, w.status, w.body);
      JsonNode a = read(audit.body);
      assertTrue(a.path("consistent").asBoolean(), () -> wallet + " audit inconsistent: " + audit.body);
      return w.body + " " + a.path("categories");
    }

    Answer get(String path) {
      return send(new Req("GET", path, null, true));
    }

    Answer send(Req r) {
      HttpRequest.Builder b;
      try {
        b = HttpRequest.newBuilder(URI.create(base + r.path)).timeout(Duration.ofSeconds(30));
      } catch (IllegalArgumentException e) {
        // Not a URI the JDK client will send: the raw socket sends it as it is.
        RawHttp.Response x = raw.send(r.method, r.path, r.auth ? Map.of("Authorization", "Bearer " + TestNode.ADMIN_KEY)
            : Map.of(), r.body == null ? null : r.body.getBytes(StandardCharsets.UTF_8));
        return new Answer(x.status(), x.contentType(), x.body());
      }
      if (r.auth) b.header("Authorization", "Bearer " + TestNode.ADMIN_KEY);
      if (r.body != null) b.header("Content-Type", "application/json");
      b.method(r.method, r.body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(r.body, StandardCharsets.UTF_8));
      try {
        HttpResponse<String> x = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(x.statusCode(), x.headers().firstValue("Content-Type").orElse(""), x.body());
      } catch (IOException e) {
        throw new IllegalStateException(r + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    void expect(int family, Answer a, String what) {
      assertEquals(family, a.status / 100, () -> what + ": " + a.body);
    }

    static JsonNode read(String body) {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }
}
