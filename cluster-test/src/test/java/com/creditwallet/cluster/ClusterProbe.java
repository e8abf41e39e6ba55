package com.creditwallet.cluster;

import com.creditwallet.gateway.cluster.NodeProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What the cluster tests ask of their node JVMs from outside, as an operator would: the
 * management endpoint (behind the admin key), membership, and polling with a deadline instead of
 * sleeping for a result.
 */
final class ClusterProbe {
  private static final int LOWEST_PORT = 20000;
  private static final int DEFAULT_EPHEMERAL_START = 32768;
  private static final Random RANDOM = new Random();
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

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

  /**
   * A port for a node to bind later, below the kernel's ephemeral range. A port taken with
   * {@code new ServerSocket(0)} comes from that range, so between this test choosing it and the
   * node binding it seconds later, any outgoing connection (the nodes' drivers opening theirs to
   * Cassandra) may be given it as its local port, and the node fails to start. Ports below the
   * range are never handed out that way; each is checked free and handed out once per JVM.
   */
  static int freePort() throws IOException {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = LOWEST_PORT + RANDOM.nextInt(below - LOWEST_PORT);
      if (!HANDED_OUT.add(port)) continue;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException taken) {
        // In use by something else: try another.
      }
    }
    throw new IOException("no free port between " + LOWEST_PORT + " and " + below + " after 200 tries");
  }

  /** The first port of Linux's ephemeral range; 32768 (its default) where it cannot be read. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      // A range that starts this low leaves no room below it: ports then come from where they may race.
      return start > LOWEST_PORT + 1000 ? start : DEFAULT_EPHEMERAL_START;
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
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
