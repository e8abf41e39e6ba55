package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm-up before readiness: the node answers 503 NOT_READY while it warms up, then ready;
 * the warm-up really ran operations through the wallets and the server without a failure, and
 * left no trace a client can see (its wallets have ids the API refuses, and the port its HTTP loops
 * use is closed before the node reports ready). It ends once its count of
 * operations is done, or at its time limit when the count is out of reach.
 */
@ExtendWith(CassandraExtension.class)
class WarmupIT {

  @Test
  void notReadyWhileWarmingThenReadyAtItsTimeLimit(CassandraTestKeyspace keyspace) {
    // A count no node reaches in 4 s: the time limit ends the warm-up, whose clock starts after this.
    long started = System.nanoTime();
    try (WalletNode node = WalletNode.start(TestNode.config(keyspace,
        Map.of("wallet.warmup.max-duration", "4s", "wallet.warmup.operations", "1000000000000")))) {
      Api api = new Api(node.httpPort(), TestNode.ADMIN_KEY);
      assertFalse(node.warmup().isDone(), "a 4 s warm-up cannot be over when the node has just started");
      Api.Response early = api.get("/health/ready");
      assertEquals(503, early.status(), early.raw());
      assertEquals("NOT_READY", early.code());
      // While it runs, readiness says how far it has got.
      Api.Response progress = api.await("/health/ready",
          r -> r.raw().contains("of 1,000,000,000,000 operations in"), Duration.ofSeconds(60));
      assertEquals(503, progress.status(), progress.raw());

      // The warm-up's own port serves a client's calls on the warm-up's wallets only: "h0" there
      // is this node's "~warmup-<node>-h0". It needs the same keys, and serves nothing else.
      int warmupPort = node.warmup().warmupPort();
      assertTrue(warmupPort > 0 && warmupPort != node.httpPort(), "a port of its own: " + warmupPort);
      Api warm = new Api(warmupPort, TestNode.ADMIN_KEY);
      Api.Response h0 = warm.await("/v1/wallets/h0", r -> r.status() == 200, Duration.ofSeconds(30));
      assertTrue(h0.body().get("walletId").asText().startsWith("~warmup-"), h0.raw());
      assertEquals(401, new Api(warmupPort, "not-a-key").get("/v1/wallets/h0").status());
      assertEquals(404, warm.get("/health/ready").status());
      assertEquals(404, warm.get("/v1/plans").status());

      api.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(60));
      assertTrue(node.warmup().isDone());
      Map<String, Long> counts = node.warmup().counts();
      assertTrue(counts.get("operations") > 20, "the warm-up ran operations: " + counts);
      assertTrue(System.nanoTime() - started >= Duration.ofSeconds(4).toNanos(), "not ready before its 4 s: " + counts);
      assertEquals(0L, counts.get("failures"), "no warm-up operation failed: " + counts);

      assertTrue(counts.get("succeededOverHttp") > 0, "successful requests crossed the routes: " + counts);

      // Clients see nothing of it: the API has no wallet beyond what they create, and the
      // warm-up's port is closed.
      assertEquals(400, api.get("/v1/wallets/~warmup-x-0").status());
      assertEquals(404, api.get("/v1/wallets/h0").status());
      assertEquals(201, api.put("/v1/wallets/after-warmup", "{}").status());
      assertClosed(warmupPort);
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
      assertTrue(counts.get("succeededOverHttp") > 0, "successful requests crossed the routes: " + counts);
    }
  }

  @Test
  void aSkippedWarmUpOpensNoPort(CassandraTestKeyspace keyspace) {
    try (WalletNode node = WalletNode.start(TestNode.config(keyspace, Map.of("wallet.warmup.max-duration", "0s")))) {
      assertTrue(node.warmup().isDone());
      assertEquals(0, node.warmup().warmupPort());
    }
  }

  /** Nothing accepts a connection on {@code port} on loopback: the warm-up closed it before ready. */
  private static void assertClosed(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      fail("the warm-up port " + port + " still accepts connections once the node is ready");
    } catch (IOException refused) {
      // closed, as it should be
    }
  }
}
