package com.creditwallet.cluster;

import com.creditwallet.gateway.cluster.NodeProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What the cluster tests ask of their node JVMs from outside, as an operator would: the
 * management endpoint (behind the admin key), membership, and polling with a deadline instead of
 * sleeping for a result.
 */
final class ClusterProbe {

  private final HttpClient http = HttpClient.newHttpClient();
  private final String adminKey;

  ClusterProbe(String adminKey) {
    this.adminKey = adminKey;
  }

  /** GET {@code path} on the node's management port: the JSON body, or null unless 200. */
  JsonNode management(NodeProcess node, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.ports().management() + path))
          .header("Authorization", "Bearer " + adminKey).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? RetryingClient.JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Waits until {@code node} sees exactly {@code n} members, all Up, none unreachable. */
  void awaitUpMembers(NodeProcess node, int n) {
    await(n + " Up members seen by node " + node.index(), Duration.ofSeconds(90), () -> {
      JsonNode m = management(node, "/cluster/members");
      if (m == null || m.path("unreachable").size() > 0 || m.path("members").size() != n) return false;
      for (JsonNode member : m.path("members")) if (!"Up".equals(member.path("status").asText())) return false;
      return true;
    });
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
