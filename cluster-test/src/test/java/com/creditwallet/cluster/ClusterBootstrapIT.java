package com.creditwallet.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.gateway.cluster.NodeProcess;
import com.creditwallet.persistence.LoopbackPorts;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
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
  private final ClusterProbe probe = new ClusterProbe(ADMIN_KEY);

  @AfterEach
  void stopNodes() {
    nodes.forEach(NodeProcess::kill);
  }

  @Test
  void twoNodesWithoutSeedNodesFormOneClusterThroughBootstrap(CassandraTestKeyspace ks) throws Exception {
    Path logs = Path.of("target", "cluster-bootstrap-it");
    Files.createDirectories(logs);
    List<NodeProcess.Ports> ports = List.of(
        new NodeProcess.Ports(LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next()),
        new NodeProcess.Ports(LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next()));
    String contactPoints = "127.0.0.1:" + ports.get(0).management() + ",127.0.0.1:" + ports.get(1).management();
    NodeProcess.Settings settings = new NodeProcess.Settings(System.getProperty("java.class.path"),
        ClusterFailoverIT.NODE_JVM, ks.contactPoint(), ks.keyspace(), ADMIN_KEY, logs,
        Map.of("WALLET_WARMUP", "0s", "WALLET_BOOTSTRAP_NODES", contactPoints, "WALLET_BOOTSTRAP_REQUIRED", "2"));

    for (int i = 0; i < 2; i++) nodes.add(NodeProcess.start(settings, i, ports.get(i), ""));
    for (NodeProcess n : nodes) n.awaitReady(READY);
    for (NodeProcess n : nodes) probe.awaitUpMembers(n, 2);

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
}
