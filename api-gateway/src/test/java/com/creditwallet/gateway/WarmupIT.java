package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm-up before readiness: the node answers 503 NOT_READY while it warms up, then ready;
 * the warm-up really ran operations through the wallets and the server without a failure, and
 * left no trace a client can see (its wallets have ids the API refuses). It ends once its count of
 * operations is done, or at its time limit when the count is out of reach.
 */
@ExtendWith(CassandraExtension.class)
class WarmupIT {

  @Test
  void notReadyWhileWarmingThenReadyAtItsTimeLimit(CassandraTestKeyspace keyspace) {
    // A count no node reaches in 8 s: the time limit ends the warm-up, whose clock starts after this.
    // (8 s, not less: the readiness polls below must catch it while it runs, on a slow machine too.)
    long started = System.nanoTime();
    try (WalletNode node = WalletNode.start(TestNode.config(keyspace,
        Map.of("wallet.warmup.max-duration", "8s", "wallet.warmup.operations", "1000000000000")))) {
      Api api = new Api(node.httpPort(), TestNode.ADMIN_KEY);
      assertFalse(node.warmup().isDone(), "an 8 s warm-up cannot be over when the node has just started");
      Api.Response early = api.get("/health/ready");
      assertEquals(503, early.status(), early.raw());
      assertEquals("NOT_READY", early.code());
      // While it runs, readiness says how far it has got.
      Api.Response progress = api.await("/health/ready",
          r -> r.raw().contains("of 1,000,000,000,000 operations in"), Duration.ofSeconds(60));
      assertEquals(503, progress.status(), progress.raw());

      api.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(60));
      assertTrue(node.warmup().isDone());
      Map<String, Long> counts = node.warmup().counts();
      assertTrue(counts.get("operations") > 20, "the warm-up ran operations: " + counts);
      assertTrue(System.nanoTime() - started >= Duration.ofSeconds(8).toNanos(), "not ready before its 8 s: " + counts);
      assertEquals(0L, counts.get("failures"), "no warm-up operation failed: " + counts);

      // Clients see nothing of it: the API has no wallet beyond what they create.
      assertEquals(400, api.get("/v1/wallets/~warmup-x-0").status());
      assertEquals(201, api.put("/v1/wallets/after-warmup", "{}").status());
    }
  }

  @Test
  void movesOnToWalletsItHasNotStartedYet(CassandraTestKeyspace keyspace) {
    // 12,000 operations take each wallet loop well past its first 500 rounds on one wallet.
    try (WalletNode node = WalletNode.start(TestNode.config(keyspace,
        Map.of("wallet.warmup.max-duration", "120s", "wallet.warmup.operations", "12000")))) {
      Api api = new Api(node.httpPort(), TestNode.ADMIN_KEY);
      api.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(150));
      Map<String, Long> counts = node.warmup().counts();
      assertTrue(counts.get("operations") >= 12_000, "it did its operations: " + counts);
      assertTrue(counts.get("wallets") > 2, "its 2 wallet loops went on to new wallets: " + counts);
      assertEquals(0L, counts.get("failures"), "no warm-up operation failed, on new wallets either: " + counts);
    }
  }

  @Test
  void endsOnceItsOperationsAreDoneLongBeforeItsTimeLimit(CassandraTestKeyspace keyspace) {
    try (WalletNode node = WalletNode.start(TestNode.config(keyspace,
        Map.of("wallet.warmup.max-duration", "300s", "wallet.warmup.operations", "400")))) {
      Api api = new Api(node.httpPort(), TestNode.ADMIN_KEY);
      // Ready within 90 s of a 300-s limit: only the count can have ended it.
      api.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(90));
      assertTrue(node.warmup().isDone());
      Map<String, Long> counts = node.warmup().counts();
      assertTrue(counts.get("operations") >= 400, "it did its 400 operations: " + counts);
      assertEquals(0L, counts.get("failures"), "no warm-up operation failed: " + counts);
    }
  }
}
