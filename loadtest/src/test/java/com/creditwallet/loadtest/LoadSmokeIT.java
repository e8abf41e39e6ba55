package com.creditwallet.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.gateway.WalletNode;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.app.Gatling$;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A short, low-rate {@link HotWalletSimulation} run by Gatling itself against a real node on the
 * real local Cassandra, as part of {@code mvn verify}.
 *
 * <p>Why it exists: the simulations are only run by hand, against {@code bin/wallet dev}; this
 * keeps them compiling, running and passing their own assertions (no failed request, p99 bound)
 * as the API and the service change. It is a smoke test of the load tests, not a measurement.
 */
@ExtendWith(CassandraExtension.class)
class LoadSmokeIT {
  private static final int DURATION_SECONDS = 10;
  private static final int RATE = 5;

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void hotWalletSimulationPassesItsAssertions(CassandraTestKeyspace keyspace) throws IOException {
    Path results = Path.of("target", "gatling").toAbsolutePath();
    String runId = "smoke-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    try (WalletNode node = LoadTestNode.start(keyspace)) {
      String baseUrl = "http://127.0.0.1:" + node.httpPort();
      LoadTestNode.awaitReady(baseUrl, Duration.ofSeconds(60));

      Map<String, String> props = new LinkedHashMap<>();
      props.put("baseUrl", baseUrl);
      props.put("adminKey", LoadTestNode.ADMIN_KEY);
      props.put("rampUp", "0"); // so that exactly RATE x DURATION_SECONDS users run
      props.put("duration", String.valueOf(DURATION_SECONDS));
      props.put("rate", String.valueOf(RATE));
      // A cold node in the test's own JVM, sharing 2 cores with Cassandra and Gatling: the bound
      // only catches a broken service (timeouts), it does not measure anything.
      props.put("p99Ms", "5000");
      props.put("runId", runId);
      long startedAt = System.currentTimeMillis();
      int status;
      props.forEach(System::setProperty);
      try {
        // fromArgs, unlike main, returns the status instead of calling System.exit:
        // 0 = success, 2 = assertions failed, 1 = invalid arguments.
        status = Gatling$.MODULE$.fromArgs(new String[] {
            "--simulation", HotWalletSimulation.class.getName(),
            "--results-folder", results.toString(),
            "--run-description", "LoadSmokeIT"});
      } finally {
        props.keySet().forEach(System::clearProperty);
      }
      assertEquals(0, status, "Gatling's status (2 = assertions failed); see the report under " + results);

      // The load did happen: exactly rate x duration users, each reserved 1 credit and committed it.
      JsonNode audit = new ObjectMapper().readTree(LoadTestNode.get(baseUrl, "/v1/wallets/" + runId + "-hot/audit"));
      assertTrue(audit.path("consistent").asBoolean(), audit.toString());
      assertEquals(RATE * DURATION_SECONDS, audit.path("categories").path("sms").path("committed").asLong(), audit.toString());
      assertEquals(0, audit.path("categories").path("sms").path("held").asLong(), audit.toString());

      assertTrue(reportWrittenSince(results, startedAt), "an HTML report under " + results);
    }
  }

  private static boolean reportWrittenSince(Path results, long startedAt) throws IOException {
    try (Stream<Path> dirs = Files.list(results)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("hotwalletsimulation-"))
          .map(d -> d.resolve("index.html"))
          .anyMatch(index -> Files.isRegularFile(index) && index.toFile().lastModified() >= startedAt);
    }
  }
}
