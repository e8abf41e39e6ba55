package com.creditwallet.gateway;

import com.typesafe.config.ConfigFactory;

/**
 * `bin/wallet node`: one node against the Cassandra named by WALLET_CASSANDRA_CONTACT_POINTS.
 * It runs until SIGTERM/Ctrl-C, which runs coordinated shutdown.
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
    System.out.println("wallet node ready: http://127.0.0.1:" + node.httpPort());
  }
}
