package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WalletServiceTest {

  @Test
  void readsTheNodesOwnWarmUpFromItsLog() {
    String log = """
        [wallet dev] starting the wallet node ...
        14:02:11.120 INFO  c.creditwallet.gateway.Warmup - warming up before reporting ready: until 180,000 operations are done, for at most 200 s (WALLET_WARMUP_OPERATIONS, WALLET_WARMUP; WALLET_WARMUP=0s skips it) ...
        14:02:41.377 INFO  c.creditwallet.gateway.Warmup - warming up: 31,004 of 180,000 operations in 30 s (1,033/s in the last 30 s), 170 s left at most
        14:05:11.377 INFO  c.creditwallet.gateway.Warmup - warm-up done: 180002 operations in 181.2 s (3 failed), ended: its 180,000 operations done; 118 wallets set up; the node reports ready
        """;
    assertEquals("181.2 s (180,002 operations, 3 failed; ended: its 180,000 operations done)", WalletService.nodeWarmup(log));
    assertEquals("not done: until 180,000 operations are done, for at most 200 s",
        WalletService.nodeWarmup(log.lines().limit(3).reduce("", (a, b) -> a + b + "\n")));
    String timeOnly = """
        14:02:11.120 INFO  c.creditwallet.gateway.Warmup - warming up before reporting ready: for 30 s (WALLET_WARMUP_OPERATIONS, WALLET_WARMUP; WALLET_WARMUP=0s skips it) ...
        14:02:41.377 INFO  c.creditwallet.gateway.Warmup - warm-up done: 41234 operations in 30.0 s (0 failed), ended: its time limit of 30 s reached; the node reports ready
        """;
    assertEquals("30.0 s (41,234 operations, 0 failed; ended: its time limit of 30 s reached)", WalletService.nodeWarmup(timeOnly));
    assertEquals("none", WalletService.nodeWarmup("[wallet dev] ready: http://127.0.0.1:18080\n"));
  }
}
