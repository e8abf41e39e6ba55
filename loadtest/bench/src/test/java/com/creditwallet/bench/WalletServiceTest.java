package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WalletServiceTest {

  @Test
  void readsTheNodesOwnWarmUpFromItsLog() {
    String log = """
        [wallet dev] starting the wallet node ...
        14:02:11.120 INFO  c.creditwallet.gateway.Warmup - warming up for 30 s before reporting ready (WALLET_WARMUP; 0s to skip) ...
        14:02:41.377 INFO  c.creditwallet.gateway.Warmup - warm-up done: 41234 operations in 30.2 s (3 failed); the node reports ready
        """;
    assertEquals("30 s (41,234 operations, 3 failed)", WalletService.nodeWarmup(log));
    assertEquals("30 s", WalletService.nodeWarmup(log.lines().limit(2).reduce("", (a, b) -> a + b + "\n")));
    assertEquals("none", WalletService.nodeWarmup("[wallet dev] ready: http://127.0.0.1:18080\n"));
  }
}
