package com.creditwallet.gateway.cluster;

import com.creditwallet.gateway.WalletMain;
import java.io.IOException;

/**
 * Main class of a node started by {@link NodeProcess} ({@code bin/wallet cluster}, the cluster
 * test): {@link WalletMain} plus a watchdog, so a node never outlives the process that started
 * it, even one killed with SIGKILL that runs no shutdown hook. The parent keeps this process's
 * stdin open and never writes to it; when the parent dies the pipe closes, and the node stops
 * gracefully (coordinated shutdown: hand off shards, leave the cluster).
 */
public final class ChildNodeMain {
  private ChildNodeMain() {}

  public static void main(String[] args) {
    Thread watchdog = new Thread(() -> {
      byte[] buffer = new byte[256];
      try {
        while (System.in.read(buffer) >= 0) {
          // The parent never writes.
        }
      } catch (IOException e) {
        // A broken pipe means the same: the parent is gone.
      }
      System.exit(0);
    }, "wallet-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    WalletMain.main(args);
  }
}
