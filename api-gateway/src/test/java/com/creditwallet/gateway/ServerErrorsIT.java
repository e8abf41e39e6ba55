package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every 4xx and 5xx the server produces by itself is problem+json with a stable code, over real
 * HTTP with a raw socket (requests no polite client would send), and such requests change nothing.
 */
@ExtendWith(CassandraExtension.class)
class ServerErrorsIT {
  private static WalletNode node;
  private static Api api;
  private static RawHttp raw;
  private static final String AUTH = "Bearer " + TestNode.ADMIN_KEY;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = TestNode.start(keyspace);
    api = TestNode.ready(node);
    raw = new RawHttp(node.httpPort());
    assertEquals(201, api.put("/v1/wallets/w", "{}").status());
    assertEquals(201, api.post("/v1/wallets/w/grants",
        "{\"grantId\":\"g\",\"category\":\"sms\",\"amount\":100,\"source\":\"PACKAGE\"}").status());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static Map<String, String> auth(String... more) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", AUTH);
    for (int i = 0; i + 1 < more.length; i += 2) h.put(more[i], more[i + 1]);
    return h;
  }

  private static RawHttp.Response assertProblem(int status, String code, RawHttp.Response r) {
    assertEquals(status, r.status(), () -> "status of " + r);
    assertTrue(r.isProblem(), () -> "problem+json expected: " + r);
    if (code != null) assertEquals(code, r.json().path("code").asText(), () -> "code of " + r);
    return r;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aVeryLongPathIs414() {
    assertProblem(414, "URI_TOO_LONG", raw.send("GET", "/v1/wallets/" + "a".repeat(5_000), auth(), null));
  }

  @Test
  void rawNonAsciiBytesInThePathAre400() {
    byte[] request = ("GET /v1/wallets/caf\u00e9\u00ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertProblem(400, "INVALID_REQUEST", raw.raw(request));
    byte[] utf8Path = ("GET /v1/wallets/" + new String(utf8("\u00e8\u4e2d"), StandardCharsets.ISO_8859_1)
        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertProblem(400, "INVALID_REQUEST", raw.raw(utf8Path));
  }

  @Test
  void badPercentEncodingsAre4xxProblems() {
    assertProblem(400, null, raw.send("GET", "/v1/wallets/%zz", auth(), null));
    assertProblem(400, null, raw.send("GET", "/v1/wallets/w%FF%FE", auth(), null));
    assertProblem(400, null, raw.send("GET", "/v1/wallets/w?x=%zz", auth(), null));
  }

  @Test
  void malformedRequestLinesAndHeadersAreProblems() {
    // Pekko's 505 and 501: the client's fault, so 4xx (5xx are for real faults only).
    assertProblem(400, "INVALID_REQUEST", raw.raw(utf8("GET /health/alive HTTP/9.9\r\nHost: x\r\n\r\n")));
    assertProblem(405, "METHOD_NOT_ALLOWED", raw.raw(utf8("FROB /health/alive HTTP/1.1\r\nHost: x\r\n\r\n")));
    assertProblem(400, null, raw.raw(utf8("GET /health/alive HTTP/1.1\r\nConnection: close\r\n\r\n")));
    assertProblem(431, null, raw.send("GET", "/health/alive", Map.of("X-Big", "b".repeat(20_000)), null));
    assertProblem(400, null, raw.raw(utf8("GET /health/alive HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")));
    assertProblem(400, null, raw.raw(utf8("GET /health/alive HTTP/1.0\r\n\r\n")));
    assertProblem(400, null, raw.send("GET", "http://elsewhere.example/health/alive", Map.of(), null));
    assertProblem(400, null, raw.send("CONNECT", "elsewhere.example:443", Map.of(), null));
    assertProblem(400, null, raw.raw(utf8("PUT /v1/wallets/w HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n")));
  }

  /**
   * The body is read as JSON whatever the Content-Type says (clients such as curl -d send
   * form-encoded by default): a malformed or foreign one is never a fault.
   */
  @Test
  void contentTypesNeverCauseAFault() {
    byte[] body = utf8("{}");
    for (String type : new String[] {"application/json; charset=klingon", "not a type", "multipart/form-data",
        "text/plain", "application/json;;;"}) {
      RawHttp.Response r = raw.send("PUT", "/v1/wallets/w", auth("Content-Type", type), body);
      // 201: a repeat of the PUT that created the wallet.
      assertEquals(201, r.status(), () -> type + ": " + r);
    }
    assertProblem(400, "INVALID_REQUEST", raw.send("PUT", "/v1/wallets/w", auth("Content-Type", "text/plain"), utf8("tz=UTC")));
  }

  @Test
  void brokenBodiesAreProblems() {
    assertProblem(400, null, raw.send("PUT", "/v1/wallets/w", auth("Content-Length", "abc"), null));
    assertProblem(400, null, raw.send("PUT", "/v1/wallets/w", auth("Content-Length", "-1"), null));
    assertProblem(413, "PAYLOAD_TOO_LARGE", raw.announce("PUT", "/v1/wallets/w", auth("Content-Type", "application/json"), 1_100_000));
    byte[] badChunks = utf8("PUT /v1/wallets/w HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");
    assertProblem(400, null, raw.raw(badChunks));
    byte[] notUtf8 = new byte[] {'{', '"', 't', 'i', 'm', 'e', 'Z', 'o', 'n', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
    assertProblem(400, "INVALID_REQUEST", raw.send("PUT", "/v1/wallets/w", auth(), notUtf8));
    assertProblem(400, "INVALID_REQUEST", raw.send("PUT", "/v1/wallets/w", auth(), utf8("[".repeat(5_000) + "]".repeat(5_000))));
  }

  @Test
  void trailingTokensAreRefusedAndCommitNothing() {
    Map<String, String> json = auth("Content-Type", "application/json");
    String grant = "{\"grantId\":\"t-1\",\"category\":\"sms\",\"amount\":50,\"source\":\"PACKAGE\"}";
    for (String body : new String[] {grant + "trailing", grant + grant, grant + "]", grant + " 1", grant + "}"}) {
      RawHttp.Response r = raw.send("POST", "/v1/wallets/w/grants", json, utf8(body));
      assertProblem(400, "INVALID_REQUEST", r);
      assertEquals("body", r.json().path("field").asText(), r::toString);
    }
    assertEquals(100, api.get("/v1/wallets/w").body().path("balances").path("sms").path("available").asLong());
    assertEquals(201, raw.send("POST", "/v1/wallets/w/grants", json, utf8(grant + " \r\n\t")).status(),
        "whitespace after the value is still JSON");
    assertEquals(150, api.get("/v1/wallets/w").body().path("balances").path("sms").path("available").asLong());
  }

  @Test
  void routingErrorsAreProblemsToo() {
    assertProblem(404, "NOT_FOUND", raw.send("GET", "/nowhere", Map.of(), null));
    assertProblem(405, "METHOD_NOT_ALLOWED", raw.send("DELETE", "/health/alive", Map.of(), null));
    assertProblem(401, "UNAUTHORIZED", raw.send("GET", "/v1/wallets/w", Map.of(), null));
    assertProblem(400, null, raw.send("GET", "/v1/wallets/w", Map.of("Authorization", "Bearer a b \u0001"), null));
    assertProblem(401, "UNAUTHORIZED", raw.send("GET", "/v1/wallets/w", Map.of("Authorization", "Basic a b c"), null));
  }

  /** A request not answered within the node's request timeout is a problem, on a node that allows 1 ms. */
  @Test
  void aRequestTimeoutIsAProblem(CassandraTestKeyspace keyspace) {
    try (WalletNode impatient = WalletNode.start(TestNode.config(keyspace, Map.of("wallet.http.request-timeout", "1 ms")))) {
      Api slow = new Api(impatient.httpPort(), TestNode.ADMIN_KEY);
      // Each id is a wallet the node has not seen, so its route waits for the store: longer than
      // 1 ms, though not always longer than the 10 ms between sweeps, hence a new id per try.
      java.time.Instant end = java.time.Instant.now().plusSeconds(30);
      Api.Response r = null;
      for (int i = 0; java.time.Instant.now().isBefore(end) && (r == null || r.status() != 503); i++) {
        r = slow.get("/v1/wallets/nobody-" + i);
      }
      assertEquals(503, r.status(), r::raw);
      assertTrue(r.contentType().startsWith("application/problem+json"), r::raw);
      assertEquals("SERVICE_UNAVAILABLE", r.code(), r::raw);
      assertTrue(r.body().path("detail").asText().contains("request was not answered in time"), r::raw);
    }
  }
}
