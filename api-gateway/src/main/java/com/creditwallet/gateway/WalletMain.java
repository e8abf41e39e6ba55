package com.creditwallet.gateway;

import com.typesafe.config.ConfigFactory;

/**
 * `bin/wallet node`: one node against the Cassandra named by WALLET_CASSANDRA_CONTACT_POINTS.
 * It runs until SIGTERM/Ctrl-C, which runs coordinated shutdown. A production node never makes
 * up a key: without WALLET_ADMIN_KEY (or with a TLS keystore it cannot read) it refuses to start,
 * says why on stderr and exits with status 1.
 */
public final class WalletMain {
  private WalletMain() {}

  public static void main(String[] args) {
    WalletNode node;
    try {
      node = WalletNode.start(NodeConfig.fromEnvironment(ConfigFactory.empty()));
    } catch (RuntimeException e) {
      System.err.println("wallet: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "wallet-node-stop"));
    System.out.println("wallet node ready: " + node.scheme() + "://127.0.0.1:" + node.httpPort());
  }
}
