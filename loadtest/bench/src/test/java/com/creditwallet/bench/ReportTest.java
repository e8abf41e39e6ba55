package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  static final List<Row> ROWS = List.of(
      Row.measured("a", "credits wallet", "single reservation, 1 hot wallet", 3000, 4.5, 12.25, 0.4, "")
          .withServerCpu(new ServerCpu.Usage(1.2, 0.6)),
      Row.measured("b", "credits wallet", "single reservation, 1,000 wallets", 7000, 2.0, 9.0, 0.6, ""),
      Row.measured("c", "credits wallet", "batch of 1,000 reserves, 100 wallets", 45000, 300, 1234.5, 0.3,
          "items/s; latency per 1,000-item POST"),
      Row.measured("d", "Cassandra (raw)", "single-row INSERT", 14000, 1.0, 3.0, 0.7, ""),
      Row.measured("e1", "PostgreSQL 15", "hot row", 2000, 7.9, 15, 0.2, "fsync on"),
      Row.skipped("e2", "PostgreSQL", "1,000 rows", "PostgreSQL not found; run with --install"),
      Row.measured("f1", "Redis 7.0.15", "AOF always", 22500, 0.6, 1.1, 0.5, "fsync before reply"));

  @Test
  void ratiosDivideThroughputsAndSayWhatIsMissing() {
    assertEquals(1.5, Report.ratio(ROWS, "a", "e1").getAsDouble(), 1e-9);
    assertEquals(2.0, Report.ratio(ROWS, "c", "f1").getAsDouble(), 1e-9);
    assertTrue(Report.ratio(ROWS, "b", "e2").isEmpty(), "e2 was skipped");
    assertTrue(Report.ratio(ROWS, "a", "zz").isEmpty(), "no such row");

    List<String> lines = Report.ratioLines(ROWS);
    assertEquals("ours, one hot wallet vs PostgreSQL, hot row: 1.50x (a 3,000 / e1 2,000 ops/s)", lines.get(0));
    assertEquals("ours, 1,000 wallets vs PostgreSQL, 1,000 rows: n/a (e2 not measured)", lines.get(1));
    assertEquals("ours, batch items vs Redis, AOF always: 2.00x (c 45,000 / f1 22,500 ops/s)", lines.get(2));
    assertEquals("ours, 1,000 wallets vs raw Cassandra inserts (store ceiling): 0.50x (b 7,000 / d 14,000 ops/s)",
        lines.get(3));
  }

  @Test
  void ratiosOfScenariosLeftOutOfTheRunAreNotListed() {
    List<Row> onlyM = List.of(Row.measured("m1", "credits wallet", "create", 2500, 5, 9, 0.1, ""));
    assertTrue(Report.ratioLines(onlyM).isEmpty(), "--only m: no ratio has any of its rows");
    List<String> withW = Report.ratioLines(List.of(Row.measured("w", "credits wallet", "cold", 800, 5, 9, 0.1, "")));
    assertEquals(List.of("ours, first 30 s after ready vs warm hot wallet (a): n/a (a not measured)"), withW);
    assertEquals(7, Report.ratioLines(ROWS).size(), "a, b, c, d, e, f ran: every ratio that has a row is listed");
    assertEquals("ours, batch items vs Cassandra writing only their rows: n/a (d2 not measured)",
        Report.ratioLines(ROWS).get(5));
  }

  @Test
  void batchItemsAreComparedWithTheirOwnRowsWritten() {
    List<Row> rows = List.of(
        Row.measured("c", "credits wallet", "batch", 20_000, 300, 900, 0.1, "items/s"),
        Row.measured("d2", "Cassandra (raw)", ReservationRows.SCENARIO, 50_000, 3, 6, 0.2, "items/s"));
    assertEquals(0.4, Report.ratio(rows, "c", "d2").getAsDouble(), 1e-9);
    assertTrue(Report.ratioLines(rows).contains(
        "ours, batch items vs Cassandra writing only their rows: 0.40x (c 20,000 / d2 50,000 ops/s)"),
        String.join("\n", Report.ratioLines(rows)));
  }

  @Test
  void consoleTableAlignsColumnsAndShowsSkips() {
    String table = Report.table(ROWS);
    List<String> lines = table.lines().toList();
    assertEquals(2 + ROWS.size(), lines.size());
    assertTrue(lines.get(0).startsWith("#   system"), lines.get(0));
    assertTrue(lines.get(1).matches("-+"), lines.get(1));
    int opsEnd = lines.get(0).indexOf("ops/s") + "ops/s".length();
    assertTrue(lines.get(2).substring(0, opsEnd).endsWith("3,000"), lines.get(2));
    assertTrue(lines.get(4).contains("1,235"), "p99 of 1,234.5 ms shown without decimals: " + lines.get(4));
    assertTrue(lines.get(7).contains("skipped: PostgreSQL not found; run with --install"), lines.get(7));
    assertTrue(lines.get(2).contains("0.40 cores  1.20 cores     0.60 cores  CPU per op: node 0.400 ms"), lines.get(2));
    assertTrue(lines.get(0).matches(".*client CPU +node CPU +Cassandra CPU +notes"), lines.get(0));
    assertTrue(lines.get(3).matches(".*0.60 cores +- +-"), "no server CPU for b: " + lines.get(3));
  }

  @Test
  void cpuPerOpNeedsServerFigures() {
    Row c = Row.measured("c", "credits wallet", "batch", 50_000, 300, 900, 0.1, "items/s")
        .withServerCpu(new ServerCpu.Usage(1.0, Double.NaN));
    assertEquals("CPU per op: node 0.020 ms", Report.cpuPerOp(c));
    assertEquals("", Report.cpuPerOp(ROWS.get(4)), "PostgreSQL has no node");
  }

  @Test
  void comparisonTargetsSayMetOrNot() {
    List<String> t = Report.comparisonTargets(ROWS);
    assertEquals(List.of(
        "one hot wallet >= 3x PostgreSQL's hot row with p99 < 50 ms: NOT met (1.50x, p99 12.25 ms)",
        "batch items >= Redis, AOF always: met (2.00x)"), t, "b vs e2 is left out: e2 was skipped");
    List<Row> fast = List.of(
        Row.measured("a", "ours", "hot", 9000, 2, 49, 0.1, ""),
        Row.measured("e1", "pg", "hot", 3000, 2, 5, 0.1, ""));
    assertEquals("one hot wallet >= 3x PostgreSQL's hot row with p99 < 50 ms: met (3.00x, p99 49.00 ms)",
        Report.comparisonTargets(fast).get(0));
    List<Row> slowTail = List.of(
        Row.measured("a", "ours", "hot", 9000, 2, 51, 0.1, ""),
        Row.measured("e1", "pg", "hot", 3000, 2, 5, 0.1, ""));
    assertTrue(Report.comparisonTargets(slowTail).get(0).contains("NOT met"), "a p99 of 51 ms misses the target");
  }

  @Test
  void markdownHasContextTableRatiosAndChart() {
    Report.Context ctx = new Report.Context("2026-11-24T10:00:00Z", "bin/wallet bench --seconds 10",
        "2 cores, 23.4 GiB memory", "service figures (a-c) are AFTER a 60 s warm-up", "30 s (the node's default)",
        16, 10, 10, List.of("h target: met"),
        List.of(new Report.Section("w. Time to full speed", List.of("x"), "| window |\n|---|\n")),
        List.of("This was a short run."));
    String md = Report.markdown(ROWS, ctx);
    assertTrue(md.contains("- command: `bin/wallet bench --seconds 10`"), md);
    assertTrue(md.contains("- machine: 2 cores, 23.4 GiB memory"), md);
    assertTrue(md.contains("- node warm-up before ready: 30 s (the node's default)"), md);
    assertTrue(md.contains("| a | credits wallet | single reservation, 1 hot wallet | 3,000 | 4.50 | 12.25 | 0.40 cores"
        + " | 1.20 cores | 0.60 cores | CPU per op: node 0.400 ms, Cassandra 0.200 ms |"), md);
    assertTrue(md.contains("| e2 | PostgreSQL | 1,000 rows | - | - | - | - | - | - | skipped: PostgreSQL not found;"
        + " run with --install |"), md);
    assertTrue(md.contains("## Targets\n\n- h target: met\n"), md);
    assertTrue(md.contains("## w. Time to full speed\n\n| window |\n|---|\n"), md);
    assertTrue(md.contains("- ours, one hot wallet vs PostgreSQL, hot row: 1.50x"), md);
    assertTrue(md.contains("- This was a short run."), md);
    assertTrue(md.contains("![throughput](throughput.png)"), md);
  }

  @Test
  void parsesTheToolsOutputs() {
    assertEquals(2284.123456, PostgresBench.tps("""
        latency average = 6.998 ms
        initial connection time = 12.409 ms
        tps = 2284.123456 (without initial connection time)
        """), 1e-9);
    double[] redis = RedisBench.csv("""
        "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        "EVAL local b = tonumber(redis.call('GET', KEYS[1])), ...","25000.00","0.610","0.120","0.575","0.911","1.207","4.351"
        """);
    assertEquals(25000.0, redis[0], 1e-9);
    assertEquals(0.575, redis[1], 1e-9);
    assertEquals(1.207, redis[2], 1e-9);
    assertEquals(3.5, Commands.childCpuSeconds("some output\n0m0.010s 0m0.005s\n0m2.250s 0m1.250s\n"), 1e-9);
    assertEquals(61.5, Commands.childCpuSeconds("0m0.010s 0m0.005s\n1m1.000s 0m0.500s"), 1e-9);
    Wrk.Result wrk = Wrk.parse("Running 10s test\nWRKRESULT requests=2100 duration_us=10000000 ok=2000 other=100"
        + " connect=0 read=0 write=0 timeout=0 p50_us=6800 p99_us=405150 first=503+SERVICE_UNAVAILABLE\n", 1.5);
    assertEquals(200.0, wrk.opsPerSec(), 1e-9);
    assertEquals(6.8, wrk.p50Ms(), 1e-9);
    assertEquals(405.15, wrk.p99Ms(), 1e-9);
    assertEquals(0.15, wrk.cpuCores(), 1e-9);
    assertEquals(100, wrk.failed());
    assertEquals(10.0, wrk.seconds(), 1e-9);
    assertEquals("503 SERVICE_UNAVAILABLE", wrk.firstError());
    WalletScenarios.BatchAnswer batch = WalletScenarios.BatchAnswer.of("{\"results\":[{\"status\":201,\"body\":"
        + "{\"status\":\"HELD\"}},{\"status\": 503,\"body\":{\"type\":\"x\",\"status\":503,\"code\":\"BUSY\"}}]}");
    assertEquals(1, batch.created());
    assertEquals(1, batch.other());
    assertEquals("503 BUSY", batch.firstOther());
    assertEquals(List.of(201, 503), WalletScenarios.BatchAnswer.statuses("{\"results\":[{\"status\":201,\"body\":"
        + "{\"status\":\"HELD\"}},{\"status\": 503,\"body\":{\"type\":\"x\",\"status\":503,\"code\":\"BUSY\"}}]}"));
  }
}
