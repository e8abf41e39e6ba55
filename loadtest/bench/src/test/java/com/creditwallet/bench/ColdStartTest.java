package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartTest {

  /** The bench's nine 5-s windows from 0.5 s after ready; the rate climbs by 100/s per window. */
  static ColdStart.Result curve() {
    List<ColdStart.Window> ws = new ArrayList<>();
    for (int i = 0; i < BenchOptions.COLD_SECONDS / BenchOptions.COLD_WINDOW_SECONDS; i++) {
      long ok = (i + 1) * 100L * 5;
      ws.add(new ColdStart.Window(0.5 + i * 5.1, 5.0, ok, i == 0 ? 2 : 0, 3.0, 10.0 + i, 0.05, new ServerCpu.Usage(1.0, 0.5),
          i == 0 ? "503 SERVICE_UNAVAILABLE" : ""));
    }
    return new ColdStart.Result("wrk", 0.4, ws);
  }

  @Test
  void rowIsTheFirstThirtySecondsAndTheNoteTheRest() {
    Row r = ColdStart.row(curve());
    assertEquals("w", r.id());
    // windows 1-6: 100..600/s for 5 s each = 10,500 ops over 30 s
    assertEquals(350.0, r.opsPerSec(), 1e-9);
    assertTrue(Double.isNaN(r.p50Ms()), "wrk's per-run percentiles cannot be merged: no p50");
    assertEquals(15.0, r.p99Ms(), 1e-9, "the worst window of the first 30 s");
    assertEquals(1.0, r.nodeCpuCores(), 1e-9);
    assertEquals(0.5, r.cassandraCpuCores(), 1e-9);
    assertEquals(0.05, r.clientCpuCores(), 1e-9);
    // windows 7-9: 700..900/s = 12,000 ops over 15 s
    assertTrue(r.note().startsWith("30-45 s after ready: 800 ops/s"), r.note());
    assertTrue(r.note().contains("2 failed, first: 503 SERVICE_UNAVAILABLE"), r.note());
  }

  @Test
  void targetComparesTheLastWindowOfTheFirstThirtySecondsWithA() {
    Row warm = Row.measured("a", "ours", "hot", 640, 2, 9, 0.1, "");
    String met = ColdStart.target(curve(), warm);
    assertTrue(met.contains(": met (26.0-31.0 s: 600 ops/s = 0.94x of a's 640)"), met);
    Row faster = Row.measured("a", "ours", "hot", 1200, 2, 9, 0.1, "");
    assertTrue(ColdStart.target(curve(), faster).contains(": NOT met (26.0-31.0 s: 600 ops/s = 0.50x"));
    assertTrue(ColdStart.target(curve(), null).endsWith("n/a (a not measured)"));
    assertTrue(ColdStart.target(new ColdStart.Result("wrk", 0, List.of()), warm).endsWith("n/a (w did not run)"));
  }

  @Test
  void sectionListsEveryWindow() {
    Report.Section s = ColdStart.section(curve(), "30 s (the node's default)");
    assertEquals(1 + ColdStart.windowCount(), s.console().size());
    assertTrue(s.console().get(0).contains("node warm-up before ready: 30 s (the node's default)"), s.console().get(0));
    assertEquals("0.5-5.5 s after ready: 100 ops/s, p99 10.00 ms, node 1.00 / Cassandra 0.50 cores; 2 failed, first:"
        + " 503 SERVICE_UNAVAILABLE", s.console().get(1));
    assertTrue(s.markdown().contains("| 41.3-46.3 | 900 | 3.00 | 18.00 | 1.00 cores | 0.50 cores | 0 |"), s.markdown());
  }

  @Test
  void theFirstThirtySecondsAreTheWindowsWhoseMiddleFallsInThem() {
    List<ColdStart.Window> late = new ArrayList<>();
    // Wallets took 3 s to create and each run adds 0.6 s: the windows drift off the 5-s marks.
    for (int i = 0; i < 11; i++) {
      late.add(new ColdStart.Window(3.0 + i * 5.6, 5.0, 500, 0, 3, 9, 0.05, new ServerCpu.Usage(1, 1), ""));
    }
    assertEquals(5, ColdStart.firstThirtySeconds(late), "the 6th window runs 31.0-36.0 s after ready");
    String target = ColdStart.target(new ColdStart.Result("wrk", 3.0, late), Row.measured("a", "o", "h", 100, 1, 2, 0, ""));
    assertTrue(target.contains("(25.4-30.4 s: 100 ops/s = 1.00x of a's 100)"), target);
  }

  @Test
  void aWindowWithoutAnyAnswerStillCounts() {
    List<ColdStart.Window> ws = List.of(
        new ColdStart.Window(0.2, 5.0, 0, 80, Double.NaN, Double.NaN, 0.01, ServerCpu.Usage.UNKNOWN, "connect refused"));
    Row r = ColdStart.row(new ColdStart.Result("Java client", 0.1, ws));
    assertFalse(r.isMeasured());
    assertTrue(r.skipped().startsWith("failed: no successful op"), r.skipped());
    assertEquals("bench-cold-01", ColdStart.wallet(0));
    assertEquals(9, ColdStart.windowCount());
  }
}
