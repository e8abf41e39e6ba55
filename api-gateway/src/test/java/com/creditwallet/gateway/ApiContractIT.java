package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.gateway.http.OpenApiRoutes;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract a running node serves: GET /openapi.yaml without a key, and every operation it
 * documents answers on the real server (never "no such path" or "wrong method"). Together with
 * OpenApiDocumentTest (document = route table) and the gate serving only the table, the
 * document and the server describe the same API.
 */
@ExtendWith(CassandraExtension.class)
class ApiContractIT {
  private static WalletNode node;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = TestNode.start(keyspace);
    TestNode.ready(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static HttpResponse<InputStream> send(String method, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    boolean withBody = method.equals("POST") || method.equals("PUT");
    if (withBody) b.header("Content-Type", "application/json");
    b.method(method, withBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    // Headers first: a streaming answer (events) is judged by its status without reading it all.
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void theDocumentIsServedWithoutAKey() throws Exception {
    HttpResponse<InputStream> r = send("GET", "/openapi.yaml", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
    try (InputStream in = r.body()) {
      assertArrayEquals(OpenApiRoutes.load(), in.readAllBytes());
    }
  }

  @Test
  void everyDocumentedOperationAnswers() throws Exception {
    byte[] served;
    try (InputStream in = send("GET", "/openapi.yaml", null).body()) {
      served = in.readAllBytes();
    }
    List<String> missing = new ArrayList<>();
    List<OpenApiDocument.Operation> ops = OpenApiDocument.operations(OpenApiDocument.parse(served));
    assertTrue(ops.size() >= 20, ops.toString());
    for (OpenApiDocument.Operation op : ops) {
      String path = op.path().replaceAll("\\{keyId}", "0123456789abcdef01234567").replaceAll("\\{[A-Za-z]+}", "probe-1");
      HttpResponse<InputStream> r = send(op.method(), path, TestNode.ADMIN_KEY);
      String code = "";
      try (InputStream in = r.body()) {
        if (r.statusCode() >= 400) code = new ObjectMapper().readTree(in.readAllBytes()).path("code").asText();
        if (r.statusCode() >= 400) {
          assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), op + " " + code);
        }
      }
      boolean noSuchRoute = (r.statusCode() == 404 && code.equals("NOT_FOUND")) || r.statusCode() == 405;
      if (noSuchRoute || r.statusCode() >= 500) missing.add(op + " -> " + r.statusCode() + " " + code);
    }
    assertTrue(missing.isEmpty(), "documented but not answering: " + missing);
  }

  @Test
  void aPathOutsideTheDocumentIsNotFound() throws Exception {
    for (String path : List.of("/v1/wallets/probe-1/nothing", "/v1", "/admin", "/v1/wallets/probe-1/")) {
      HttpResponse<InputStream> r = send("GET", path, TestNode.ADMIN_KEY);
      r.body().close();
      assertEquals(404, r.statusCode(), path);
    }
    HttpResponse<InputStream> r = send("DELETE", "/v1/wallets/probe-1", TestNode.ADMIN_KEY);
    r.body().close();
    assertEquals(405, r.statusCode());
    assertFalse(r.headers().firstValue("Allow").orElse("").isEmpty());
  }
}
