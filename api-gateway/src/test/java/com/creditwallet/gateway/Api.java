package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** A tiny real-HTTP client of the wallet API for integration tests. */
final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String key;

  Api(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  record Response(int status, String contentType, JsonNode body, String raw) {
    String code() {
      return body.path("code").asText();
    }
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, String json) {
    return send("POST", path, json);
  }

  Response put(String path, String json) {
    return send("PUT", path, json);
  }

  Response send(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    if (json != null) b.header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body, r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls until the answer satisfies {@code done}, failing after {@code deadline}. */
  Response await(String path, Predicate<Response> done, Duration deadline) {
    Instant end = Instant.now().plus(deadline);
    Response last = null;
    while (Instant.now().isBefore(end)) {
      last = get(path);
      if (done.test(last)) return last;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    fail("condition not met within " + deadline + " on " + path + "; last answer: " + (last == null ? null : last.raw()));
    return last;
  }
}
