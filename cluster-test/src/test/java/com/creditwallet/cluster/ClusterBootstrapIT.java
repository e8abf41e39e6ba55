package com.creditwallet.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.gateway.cluster.NodeProcess;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two real node JVMs that know no seed node, only each other's management address
 * ({@code WALLET_BOOTSTRAP_NODES}, Pekko Management cluster bootstrap with config-based
 * discovery): they must form one cluster by themselves, and a wallet written through one node
 * must be read through the other. The seed-node path is exercised by {@link ClusterFailoverIT}.
 */
@ExtendWith(CassandraExtension.class)
class ClusterBootstrapIT {
  private static final String ADMIN_KEY = "cluster-bootstrap-it-admin-key";
  private static final Duration READY = Duration.ofMinutes(3);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopNodes() {
    nodes.forEach(NodeProcess::kill);
  }

  @Test
  void twoNodesWithoutSeedNodesFormOneClusterThroughBootstrap(CassandraTestKeyspace ks) throws Exception {
    Path logs = Path.of("target", "cluster-bootstrap-it");
    Files.createDirectories(logs);
    List<NodeProcess.Ports> ports = List.of(
        new NodeProcess.Ports(freePort(), freePort(), freePort()),
        new NodeProcess.Ports(freePort(), freePort(), freePort()));
    String contactPoints = "127.0.0.1:" + ports.get(0).management() + ",127.0.0.1:" + ports.get(1).management();
    NodeProcess.Settings settings = new NodeProcess.Settings(System.getProperty("java.class.path"),
        ClusterFailoverIT.NODE_JVM, ks.contactPoint(), ks.keyspace(), ADMIN_KEY, logs,
        Map.of("WALLET_WARMUP", "0s", "WALLET_BOOTSTRAP_NODES", contactPoints, "WALLET_BOOTSTRAP_REQUIRED", "2"));

    for (int i = 0; i < 2; i++) nodes.add(NodeProcess.start(settings, i, ports.get(i), ""));
    for (NodeProcess n : nodes) n.awaitReady(READY);
    for (NodeProcess n : nodes) awaitUpMembers(n, 2);

    // Written through node 1, read through node 0: both reach the same wallet entity.
    NodeProcess n0 = nodes.get(0);
    NodeProcess n1 = nodes.get(1);
    HttpResponse<String> created = send(n1, HttpRequest.newBuilder(URI.create(n1.url() + "/v1/wallets/boot-1"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"overdraft\": {\"sms\": 7}}")));
    assertEquals(201, created.statusCode(), created.body());
    HttpResponse<String> read = send(n0, HttpRequest.newBuilder(URI.create(n0.url() + "/v1/wallets/boot-1")).GET());
    assertEquals(200, read.statusCode(), read.body());
    assertEquals(7, RetryingClient.JSON.readTree(read.body()).path("overdraft").path("sms").asLong(), read.body());
  }

  private HttpResponse<String> send(NodeProcess node, HttpRequest.Builder request) throws Exception {
    return http.send(request.header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until {@code node} sees exactly {@code n} members, all Up, none unreachable. */
  private void awaitUpMembers(NodeProcess node, int n) {
    await(n + " Up members seen by node " + node.index(), Duration.ofSeconds(90), () -> {
      JsonNode m = members(node);
      if (m == null || m.path("unreachable").size() > 0 || m.path("members").size() != n) return false;
      for (JsonNode member : m.path("members")) if (!"Up".equals(member.path("status").asText())) return false;
      return true;
    });
  }

  private JsonNode members(NodeProcess node) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.ports().management() + "/cluster/members"))
          .header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? RetryingClient.JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
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
