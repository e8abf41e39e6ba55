package com.creditwallet.loadtest;

import com.creditwallet.gateway.WalletNode;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Starts a real node (HTTP + sharding + Cassandra journal, exactly what production runs) on free
 * ports and the test's own keyspace, for {@link LoadSmokeIT}: the few lines of api-gateway's
 * test helper {@code TestNode} that this module needs (test classes are not shared across modules).
 */
final class LoadTestNode {
  static final String ADMIN_KEY = "loadtest-it-admin-key";

  private LoadTestNode() {}

  static WalletNode start(CassandraTestKeyspace keyspace) {
    return WalletNode.start(ConfigFactory.parseMap(Map.of(
            "wallet.http.port", 0,
            "wallet.http.admin-key", ADMIN_KEY,
            "wallet.warmup.max-duration", "0s",
            "pekko.remote.artery.canonical.port", 0))
        .withFallback(keyspace.config())
        .withFallback(ConfigFactory.load())
        .resolve());
  }

  /** Waits until {@code /health/ready} answers 200 (sharding and journal answer). */
  static void awaitReady(String baseUrl, Duration deadline) {
    HttpClient client = HttpClient.newHttpClient();
    long end = System.nanoTime() + deadline.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> r = client.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("node at " + baseUrl + " not ready within " + deadline + "; last answer: " + last);
  }

  /** GET with the admin key; the body as a string (fails on anything but 200). */
  static String get(String baseUrl, String path) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .header("Authorization", "Bearer " + ADMIN_KEY)
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
