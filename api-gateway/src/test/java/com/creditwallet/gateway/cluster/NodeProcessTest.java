package com.creditwallet.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that dies while starting must say why in the failure itself: a CI run keeps the build's
 * output, not the node's log file.
 */
class NodeProcessTest {

  @Test
  void aNodeThatExitsWhileStartingReportsTheEndOfItsLog(@TempDir Path logs) {
    // No admin key: the node refuses to start before it binds or connects to anything.
    NodeProcess.Settings settings = new NodeProcess.Settings(System.getProperty("java.class.path"),
        List.of("-Xmx128m"), "127.0.0.1:1", "unused", "", logs, Map.of());
    try (NodeProcess node = NodeProcess.start(settings, 0, new NodeProcess.Ports(0, 0, 0), "")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> node.awaitReady(Duration.ofMinutes(1)));
      assertTrue(e.getMessage().contains("node 0 exited with 1"), e.getMessage());
      assertTrue(e.getMessage().contains("wallet: WALLET_ADMIN_KEY is not set"), e.getMessage());
    }
  }
}
