package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.LocalCassandra;
import com.creditwallet.persistence.PersistenceConfig;
import com.creditwallet.persistence.Schema;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the journal: a running node reports 503 within 10 s once its Cassandra is
 * stopped (its probe wallet is long recovered and would keep answering from memory), and ready
 * again once Cassandra is back. This test stops a Cassandra, so it runs its own, not the one the
 * other integration tests share.
 */
class ReadinessIT {

  @Test
  void readinessFailsWithinTenSecondsWhenTheJournalCannotBeWrittenAndComesBack() {
    Path dataDir = Path.of("target", "cassandra-readiness-" + ProcessHandle.current().pid()).toAbsolutePath();
    LocalCassandra cassandra = LocalCassandra.start(LocalCassandra.Options.of(dataDir).withUnsafeSystem(true).withHeap("512m"));
    try {
      String keyspace = "readiness_it";
      Schema.apply(cassandra.contactPoint(), keyspace, 1);
      // The driver's reconnection delay grows to 60 s by default; short here so that coming back
      // is quick to observe. Readiness failing does not depend on it.
      var config = ConfigFactory.parseMap(Map.<String, Object>of(
              "wallet.http.port", 0, "wallet.http.admin-key", TestNode.ADMIN_KEY, "pekko.remote.artery.canonical.port", 0,
              "wallet.warmup.max-duration", "0s",
              "datastax-java-driver.advanced.reconnection-policy.max-delay", "2s"))
          .withFallback(PersistenceConfig.cassandra(cassandra.contactPoint(), keyspace))
          .withFallback(ConfigFactory.load())
          .resolve();
      try (WalletNode node = WalletNode.start(config)) {
        Api api = TestNode.ready(node);
        assertEquals(201, api.put("/v1/wallets/w", "{}").status());
        for (int i = 0; i < 3; i++) assertEquals(200, api.get("/health/ready").status(), "ready while Cassandra runs");

        cassandra.stop();
        long stopped = System.nanoTime();
        Api.Response notReady = api.await("/health/ready", r -> r.status() == 503, Duration.ofSeconds(10));
        long tookMs = (System.nanoTime() - stopped) / 1_000_000;
        assertEquals("NOT_READY", notReady.code(), notReady::raw);
        assertTrue(notReady.contentType().startsWith("application/problem+json"), notReady::raw);
        assertTrue(tookMs <= 10_000, "not ready after " + tookMs + " ms");
        assertEquals(503, api.get("/health/ready").status(), "and it stays not ready");

        // The same data directory reuses the same ports: the node finds its journal again.
        cassandra = LocalCassandra.start(LocalCassandra.Options.of(dataDir).withUnsafeSystem(true).withHeap("512m"));
        // Within the journal's circuit breaker reset (30 s) plus a probe restart.
        api.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(90));
        assertEquals(200, api.get("/v1/wallets/w").status());
      }
    } finally {
      cassandra.stop();
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // Only test data under target/: a leftover is harmless.
    }
  }
}
