package com.creditwallet.gateway;

import com.creditwallet.gateway.cluster.ManagementServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * `bin/wallet node`: one node against the Cassandra named by WALLET_CASSANDRA_CONTACT_POINTS.
 * It runs until SIGTERM/Ctrl-C, which runs coordinated shutdown: the node hands its shards to
 * the others and leaves the cluster before it exits. It also exits once it has left through the
 * management endpoint or was downed, so whatever supervises it can start it again. A production
 * node never makes up a key: without WALLET_ADMIN_KEY (or with a TLS keystore it cannot read) it
 * refuses to start, says why on stderr and exits with status 1.
 */
public final class WalletMain {
  private WalletMain() {}

  public static void main(String[] args) {
    WalletNode node;
    int managementPort;
    try {
      Config config = NodeConfig.fromEnvironment(
          ConfigFactory.parseMap(Map.of("pekko.coordinated-shutdown.exit-jvm", "on")));
      node = WalletNode.start(config);
      managementPort = ManagementServer.start(node.system(), config.getString("wallet.http.admin-key"))
          .localAddress().getPort();
    } catch (RuntimeException e) {
      System.err.println("wallet: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "wallet-node-stop"));
    System.out.println("wallet node ready: " + node.scheme() + "://127.0.0.1:" + node.httpPort()
        + " (management port " + managementPort + ", pid " + ProcessHandle.current().pid() + ")");
  }
}
