package com.creditwallet.gateway;

import com.creditwallet.gateway.cluster.ManagementServer;
import com.creditwallet.persistence.LocalCassandra;
import com.creditwallet.persistence.Schema;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * `bin/wallet dev`: a local Cassandra (its own JVM, data under WALLET_DATA_DIR) with the schema
 * applied, and one node on it. Restarting on the same data keeps every wallet. Without
 * WALLET_ADMIN_KEY it makes a random dev key once, keeps it in the data dir and prints it.
 */
public final class DevMain {
  private DevMain() {}

  public static void main(String[] args) throws IOException {
    Path dataDir = Path.of(env("WALLET_DATA_DIR", ".wallet-data")).toAbsolutePath();
    int cqlPort = Integer.parseInt(env("WALLET_CASSANDRA_PORT", "9042"));
    int storagePort = Integer.parseInt(env("WALLET_CASSANDRA_STORAGE_PORT", "7000"));
    String keyspace = env("WALLET_CASSANDRA_KEYSPACE", "wallet");
    String adminKey = System.getenv("WALLET_ADMIN_KEY");
    if (adminKey == null || adminKey.isBlank()) adminKey = devKey(dataDir);

    log("starting the local Cassandra (data in " + dataDir.resolve("cassandra") + ") ...");
    LocalCassandra cassandra =
        LocalCassandra.start(
            LocalCassandra.Options.of(dataDir.resolve("cassandra"))
                .withNativePort(cqlPort)
                .withStoragePort(storagePort));
    log("applying the schema to keyspace " + keyspace + " ...");
    Schema.apply(cassandra.contactPoint(), keyspace, 1);
    log("starting the wallet node ...");
    WalletNode node;
    try {
      node = WalletNode.start(NodeConfig.fromEnvironment(ConfigFactory.parseMap(Map.of(
          "wallet.http.admin-key", adminKey,
          "datastax-java-driver.basic.contact-points", java.util.List.of(cassandra.contactPoint()),
          "wallet.cassandra.keyspace", keyspace,
          "pekko.persistence.cassandra.journal.keyspace", keyspace,
          "pekko.persistence.cassandra.snapshot.keyspace", keyspace))));
    } catch (RuntimeException e) {
      System.err.println("wallet: " + e.getMessage());
      cassandra.stop();
      System.exit(1);
      return;
    }
    try {
      ManagementServer.start(node.system(), adminKey);
    } catch (RuntimeException e) {
      System.err.println("wallet: " + e.getMessage());
      node.close();
      cassandra.stop();
      System.exit(1);
      return;
    }
    // Cassandra's own shutdown hook closes the node first, so the node's last writes still land.
    cassandra.stopOnExitAfter(() -> {
      log("stopping ...");
      node.close();
    });
    // Serving is not ready: /health/ready waits for the node's warm-up (180,000 operations, about
    // 3 minutes on an idle 2-core machine), whose progress and end the log announces
    // ("warm-up done ... the node reports ready").
    log("serving: " + node.scheme() + "://127.0.0.1:" + node.httpPort()
        + "  (ready once its warm-up ends, see GET /health/ready; Ctrl-C stops everything)");
  }

  /** The dev admin key: random once per data dir, so a restart keeps working curl commands. */
  static String devKey(Path dataDir) throws IOException {
    Path file = dataDir.resolve("dev-admin-key");
    if (!Files.exists(file)) {
      Files.createDirectories(dataDir);
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      Files.writeString(file, "dev-" + HexFormat.of().formatHex(bytes));
    }
    String key = Files.readString(file).trim();
    log("WALLET_ADMIN_KEY is not set; using the dev key " + key + " (kept in " + file + ")");
    return key;
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void log(String line) {
    System.out.println("[wallet dev] " + line);
  }
}
