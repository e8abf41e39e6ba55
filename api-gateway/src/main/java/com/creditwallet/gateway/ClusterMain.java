package com.creditwallet.gateway;

import com.creditwallet.gateway.cluster.NodeProcess;
import com.creditwallet.persistence.LocalCassandra;
import com.creditwallet.persistence.Schema;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * `bin/wallet cluster N`: a local Cassandra and N wallet nodes on loopback, each its own JVM.
 * Node i listens on WALLET_HTTP_PORT+i, WALLET_REMOTE_PORT+i and WALLET_MANAGEMENT_PORT+i;
 * node 0 is the seed. Logs go to WALLET_DATA_DIR/node-i.log. Prints one line per node once it
 * is ready; Ctrl-C or SIGTERM stops every node gracefully, then Cassandra. A further
 * `bin/wallet node` with WALLET_SEED_NODES=127.0.0.1:<node 0's remote port> joins the cluster.
 */
public final class ClusterMain {
  /** Starting Cassandra's schema and a node takes well under this; each node's warm-up comes on top. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private ClusterMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int n = args.length == 0 ? 3 : Integer.parseInt(args[0]);
    if (n < 1 || n > 20) {
      System.err.println("wallet cluster: N must be 1 to 20, not " + n);
      System.exit(2);
    }
    Path dataDir = Path.of(DevMain.env("WALLET_DATA_DIR", ".wallet-data")).toAbsolutePath();
    int cqlPort = Integer.parseInt(DevMain.env("WALLET_CASSANDRA_PORT", "9042"));
    int storagePort = Integer.parseInt(DevMain.env("WALLET_CASSANDRA_STORAGE_PORT", "7000"));
    int httpBase = Integer.parseInt(DevMain.env("WALLET_HTTP_PORT", "8080"));
    int remoteBase = Integer.parseInt(DevMain.env("WALLET_REMOTE_PORT", "2551"));
    int managementBase = Integer.parseInt(DevMain.env("WALLET_MANAGEMENT_PORT", "8558"));
    String keyspace = DevMain.env("WALLET_CASSANDRA_KEYSPACE", "wallet");
    String heap = DevMain.env("WALLET_NODE_HEAP", "1g");
    String adminKey = System.getenv("WALLET_ADMIN_KEY");
    if (adminKey == null || adminKey.isBlank()) adminKey = DevMain.devKey(dataDir);

    List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    List<LocalCassandra> cassandra = new CopyOnWriteArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopNodes(nodes);
      cassandra.forEach(LocalCassandra::stop);
      log("stopped");
    }, "wallet-cluster-stop"));

    log("starting the local Cassandra (data in " + dataDir.resolve("cassandra") + ") ...");
    cassandra.add(LocalCassandra.start(LocalCassandra.Options.of(dataDir.resolve("cassandra"))
        .withNativePort(cqlPort).withStoragePort(storagePort)));
    // The JVM runs shutdown hooks concurrently: Cassandra's own hook waits for the nodes to leave.
    cassandra.get(0).stopOnExitAfter(() -> stopNodes(nodes));
    String contactPoint = cassandra.get(0).contactPoint();
    Schema.apply(contactPoint, keyspace, 1);

    NodeProcess.Settings settings = new NodeProcess.Settings(
        System.getProperty("java.class.path"), List.of("-Xms" + heap, "-Xmx" + heap),
        contactPoint, keyspace, adminKey, dataDir, Map.of());
    String seed = "127.0.0.1:" + remoteBase;
    // The nodes inherit this environment, so WALLET_WARMUP here is theirs too.
    Duration readyTimeout = START_TIMEOUT.plus(ConfigFactory.load().getDuration("wallet.warmup.max-duration"));
    // Node 0 first: it forms the cluster; then the others together, joining it.
    for (int i = 0; i < n; i++) {
      nodes.add(NodeProcess.start(settings, i, NodeProcess.Ports.of(httpBase, remoteBase, managementBase, i),
          i == 0 ? "" : seed));
      if (i == 0) announce(nodes.get(0), readyTimeout);
    }
    for (int i = 1; i < n; i++) announce(nodes.get(i), readyTimeout);
    log("cluster of " + n + " ready; seed " + seed + "; admin key in WALLET_ADMIN_KEY"
        + (System.getenv("WALLET_ADMIN_KEY") == null ? " (dev key: " + dataDir.resolve("dev-admin-key") + ")" : "")
        + "; Ctrl-C stops everything");
    watch(nodes);
  }

  /** Stops every node, once (both shutdown hooks call it; the second finds nothing left). */
  private static void stopNodes(List<NodeProcess> nodes) {
    synchronized (nodes) {
      if (nodes.isEmpty()) return;
      log("stopping " + nodes.size() + " nodes (each hands its shards off and leaves) ...");
      // All at once: each leaves by itself; the last ones get the shards of the first.
      nodes.forEach(NodeProcess::stopGracefully);
      nodes.forEach(node -> node.stop(Duration.ofSeconds(40)));
      nodes.clear();
    }
  }

  private static void announce(NodeProcess node, Duration readyTimeout) {
    node.awaitReady(readyTimeout);
    System.out.println("node " + node.index() + " ready: " + node.url() + " pid " + node.pid()
        + " (management port " + node.ports().management() + ", remote port " + node.ports().remote()
        + ", log " + node.log() + ")");
  }

  /** Runs until stopped; says when a node exits by itself (crashed, left, or was downed). */
  private static void watch(List<NodeProcess> nodes) throws InterruptedException {
    List<NodeProcess> alive = new ArrayList<>(nodes);
    while (true) {
      for (NodeProcess node : List.copyOf(alive)) {
        if (!node.isAlive()) {
          log("node " + node.index() + " (pid " + node.pid() + ") exited; see " + node.log());
          alive.remove(node);
        }
      }
      Thread.sleep(1000);
    }
  }

  private static void log(String line) {
    System.out.println("[wallet cluster] " + line);
  }
}
