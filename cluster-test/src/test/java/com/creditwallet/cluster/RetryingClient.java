package com.creditwallet.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the cluster as a load balancer plus a careful caller would be: it spreads requests
 * over the nodes in its rotation, and on an error (no connection, a timeout, a 5xx) tries the
 * same request, with the same ids, on the next node until it is answered. Every failed attempt
 * is recorded with its node and times, so the test can tell how long requests failed and where.
 */
final class RetryingClient {
  /** One failed attempt: which node, when it started and ended (ms since the client started). */
  record Failure(int node, long startMs, long endMs, String what) {}

  /** A node the client can send to. */
  record Target(int node, String url) {}

  /** An answer the caller has to look at (2xx, or a 4xx that retrying cannot change). */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String adminKey;
  private final Duration timeout;
  private final long t0 = System.nanoTime();
  private final List<Target> rotation = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger[] inFlight;
  final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
  final AtomicLong answered = new AtomicLong();

  RetryingClient(String adminKey, Duration timeout, int maxNodes) {
    this.adminKey = adminKey;
    this.timeout = timeout;
    this.inFlight = new AtomicInteger[maxNodes];
    for (int i = 0; i < maxNodes; i++) inFlight[i] = new AtomicInteger();
  }

  long nowMs() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  void add(Target target) {
    rotation.add(target);
  }

  /** Stops sending new requests to {@code node}, as a load balancer draining it would. */
  void remove(int node) {
    rotation.removeIf(t -> t.node() == node);
  }

  int inFlight(int node) {
    return inFlight[node].get();
  }

  /** Sends until answered (2xx or a definite 4xx); retries with the same body on errors. */
  Answer send(String method, String path, Object body) {
    String json;
    try {
      json = body == null ? "" : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    while (System.nanoTime() < deadline) {
      List<Target> nodes = rotation;
      Target t = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url() + path)).timeout(timeout)
          .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json");
      HttpRequest request = body == null && method.equals("GET") ? b.GET().build()
          : b.method(method, HttpRequest.BodyPublishers.ofString(json)).build();
      long start = nowMs();
      inFlight[t.node()].incrementAndGet();
      String what;
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() < 500 && r.statusCode() != 429 && r.statusCode() != 408) {
          answered.incrementAndGet();
          return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
        }
        what = method + " " + path + " -> " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        what = method + " " + path + " -> " + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      } finally {
        inFlight[t.node()].decrementAndGet();
      }
      failures.add(new Failure(t.node(), start, nowMs(), what));
    }
    throw new IllegalStateException(method + " " + path + " not answered within " + GIVE_UP_AFTER);
  }
}
