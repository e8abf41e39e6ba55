package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.notify.WebhookSigner;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications end to end on a real node: a webhook receiver in the test checks every signature,
 * answers the first delivery 500 (it must be retried, with the same event id), and must see one
 * balance.low while the balance stays low; grant.expiring fires from the schedule; the SSE stream
 * resumes after a Last-Event-ID with the next notification.
 */
@ExtendWith(CassandraExtension.class)
class NotificationsIT {
  private static final String W = "notify-co";
  private static final String SECRET = "s3cret-for-tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WalletNode node;
  private static Api api;
  private static HttpServer receiver;
  private static final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private static final List<String> badSignatures = new CopyOnWriteArrayList<>();
  private static final AtomicInteger requests = new AtomicInteger();
  private static final long T0 = System.currentTimeMillis();

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String signature = exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER);
      if (!WebhookSigner.signature(SECRET, body).equals(signature)) badSignatures.add(String.valueOf(signature));
      JsonNode json = JSON.readTree(body);
      int n = requests.incrementAndGet();
      int status = n == 1 ? 500 : 200; // the very first delivery fails once
      ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("answered", status);
      received.add(json);
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    node = WalletNode.start(TestNode.config(keyspace, Map.of(
        "wallet.webhooks.backoff-min", "200ms",
        "wallet.webhooks.sweep-interval", "1s")));
    api = TestNode.ready(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (receiver != null) receiver.stop(0);
  }

  private static void ok(int status, Api.Response r) {
    assertEquals(status, r.status(), r.raw());
  }

  private static List<JsonNode> receivedOf(String type) {
    return received.stream().filter(j -> j.path("type").asText().equals(type)).toList();
  }

  private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within 60 s: " + what + "; received " + received);
      Thread.sleep(100);
    }
  }

  @Test
  void webhooksAreSignedRetriedAndSentOncePerCrossing() throws Exception {
    String hook = "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\",\"secret\":\"" + SECRET
        + "\",\"events\":[\"balance.low\",\"balance.recovered\",\"grant.expiring\"],\"walletId\":\"" + W + "\"}";
    Api.Response put = api.put("/v1/webhooks/h-1", hook);
    ok(200, put);
    assertEquals(false, put.raw().contains(SECRET), "the secret is never echoed");
    assertEquals(true, put.body().path("secretSet").asBoolean());
    assertEquals("INVALID_REQUEST", api.put("/v1/webhooks/h-2", hook.replace("grant.expiring", "grant.exploded")).code());
    assertEquals("INVALID_REQUEST", api.put("/v1/webhooks/h-2", hook.replace("http://", "ftp://")).code());

    ok(201, api.put("/v1/wallets/" + W, "{\"lowBalanceThresholds\":{\"sms\":100}}"));
    ok(201, api.post("/v1/wallets/" + W + "/grants", "{\"grantId\":\"g-1\",\"category\":\"sms\",\"amount\":500,"
        + "\"source\":\"TOPUP\",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(3)) + "\"}"));
    ok(201, api.post("/v1/wallets/" + W + "/debits", "{\"debitId\":\"d-1\",\"lines\":[{\"category\":\"sms\",\"amount\":450}]}"));
    ok(201, api.post("/v1/wallets/" + W + "/debits", "{\"debitId\":\"d-2\",\"lines\":[{\"category\":\"sms\",\"amount\":10}]}"));
    ok(201, api.post("/v1/wallets/" + W + "/debits", "{\"debitId\":\"d-3\",\"lines\":[{\"category\":\"sms\",\"amount\":5}]}"));
    ok(201, api.post("/v1/wallets/" + W + "/grants", "{\"grantId\":\"g-2\",\"category\":\"sms\",\"amount\":200,"
        + "\"source\":\"TOPUP\"}"));

    await("balance.recovered and grant.expiring delivered",
        () -> receivedOf("balance.recovered").stream().anyMatch(j -> j.path("answered").asInt() == 200)
            && receivedOf("grant.expiring").stream().anyMatch(j -> j.path("answered").asInt() == 200)
            && receivedOf("balance.low").stream().anyMatch(j -> j.path("answered").asInt() == 200));
    assertEquals(List.of(), badSignatures);
    // One balance.low for one crossing (35 stayed low through two more debits); a redelivery
    // after the 500 carries the same eventId.
    assertEquals(1, receivedOf("balance.low").stream().map(j -> j.path("eventId").asText()).distinct().count());
    JsonNode low = receivedOf("balance.low").get(0);
    assertEquals(W, low.path("walletId").asText());
    assertEquals("sms", low.path("data").path("category").asText());
    assertEquals(50, low.path("data").path("available").asLong());
    assertEquals(100, low.path("data").path("threshold").asLong());
    JsonNode first = received.get(0);
    assertEquals(500, first.path("answered").asInt());
    assertTrue(received.stream().anyMatch(j -> j.path("eventId").equals(first.path("eventId"))
        && j.path("answered").asInt() == 200), "the failed delivery was retried");
    assertEquals("g-1", receivedOf("grant.expiring").get(0).path("data").path("grantId").asText());

    JsonNode deliveries = api.await("/v1/webhooks/h-1/deliveries", r -> {
      for (JsonNode d : r.body().path("deliveries")) if (!d.path("status").asText().equals("DELIVERED")) return false;
      return r.body().path("deliveries").size() == 3;
    }, Duration.ofSeconds(30)).body().path("deliveries");
    boolean retried = false;
    for (JsonNode d : deliveries) {
      if (d.path("eventId").equals(first.path("eventId"))) {
        retried = d.path("attempts").asInt() == 2;
      }
    }
    assertTrue(retried, deliveries.toString());

    ok(204, api.send("DELETE", "/v1/webhooks/h-1", null));
    assertEquals("WEBHOOK_NOT_FOUND", api.get("/v1/webhooks/h-1").code());
  }

  @Test
  void theEventStreamResumesAfterLastEventId() throws Exception {
    String w = "sse-co";
    ok(201, api.put("/v1/wallets/" + w, "{\"lowBalanceThresholds\":{\"sms\":10}}"));
    ok(201, api.post("/v1/wallets/" + w + "/grants", "{\"grantId\":\"g\",\"category\":\"sms\",\"amount\":20,\"source\":\"PROMO\"}"));
    ok(201, api.post("/v1/wallets/" + w + "/debits", "{\"debitId\":\"a\",\"lines\":[{\"category\":\"sms\",\"amount\":15}]}"));
    ok(201, api.post("/v1/wallets/" + w + "/grants", "{\"grantId\":\"h\",\"category\":\"sms\",\"amount\":50,\"source\":\"PROMO\"}"));
    ok(201, api.post("/v1/wallets/" + w + "/debits", "{\"debitId\":\"b\",\"lines\":[{\"category\":\"sms\",\"amount\":55}]}"));

    // From the start of the test: low, recovered, then low and depleted.
    List<String[]> firstRun = events(w, Uuids.startOf(T0).toString(), 4);
    assertEquals(List.of("balance.low", "balance.recovered", "balance.low", "balance.depleted"),
        firstRun.stream().map(e -> e[1]).toList());
    List<String[]> resumed = events(w, firstRun.get(1)[0], 2);
    assertEquals(firstRun.get(2)[0], resumed.get(0)[0], "resumes right after the last event seen");
    assertEquals(firstRun.get(3)[0], resumed.get(1)[0]);
    assertEquals("INVALID_REQUEST", api.get("/v1/wallets/" + w + "/events?lastEventId=nope").code());
  }

  /** Reads {@code n} events (id, type, data) of the stream after {@code lastEventId}, then hangs up. */
  private static List<String[]> events(String walletId, String lastEventId, int n) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/wallets/" + walletId
            + "/events"))
        .header("Authorization", "Bearer " + TestNode.ADMIN_KEY)
        .header("Last-Event-ID", lastEventId)
        .build();
    HttpResponse<Stream<String>> res = HttpClient.newHttpClient().sendAsync(req, HttpResponse.BodyHandlers.ofLines())
        .get(30, TimeUnit.SECONDS);
    assertEquals(200, res.statusCode());
    assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String[]> out = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Stream<String> lines = res.body()) {
      Iterator<String> it = lines.iterator();
      String id = null;
      String type = null;
      String data = null;
      while (out.size() < n && System.nanoTime() < end && it.hasNext()) {
        String line = it.next();
        if (line.startsWith("id:")) id = line.substring(3).trim();
        else if (line.startsWith("event:")) type = line.substring(6).trim();
        else if (line.startsWith("data:")) data = line.substring(5).trim();
        else if (line.isEmpty() && data != null) {
          out.add(new String[] {id, type, data});
          assertEquals(type, JSON.readTree(data).path("type").asText());
          id = null;
          type = null;
          data = null;
        }
      }
    }
    assertEquals(n, out.size());
    return out;
  }
}
