package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HalfPeakTest {

  @Test
  void rateIsHalfOfAUnlessGiven() {
    Row a = Row.measured("a", "ours", "hot", 3000, 2, 9, 0.1, "");
    HalfPeak.Plan half = HalfPeak.plan(0, a);
    assertEquals(1500, half.rate(), 1e-9);
    assertEquals("50% of a's 3,000 ops/s", half.source());
    assertNull(half.skipped());
    assertEquals(700, HalfPeak.plan(700, a).rate(), 1e-9, "--rate wins");
    assertEquals(700, HalfPeak.plan(700, null).rate(), 1e-9);
    assertTrue(HalfPeak.plan(0, Row.failed("a", "ours", "hot", "boom")).skipped().contains("no --rate"));
    assertEquals(64, HalfPeak.connections(16));
    assertEquals(128, HalfPeak.connections(32));
  }

  static OpenLoop.Outcome outcome(long... latenciesMs) {
    Histogram h = new Histogram(LoadRunner.MAX_LATENCY_US, 3);
    for (long ms : latenciesMs) h.recordValue(ms * 1000);
    return new OpenLoop.Outcome(1500, latenciesMs.length, latenciesMs.length, 0, null, 20, h, 1499.5, 3, 0.2);
  }

  @Test
  void rowAndTargetFromTheOpenLoop() {
    HalfPeak.Plan plan = HalfPeak.plan(0, Row.measured("a", "ours", "hot", 3000, 2, 9, 0.1, ""));
    long[] fast = new long[1000];
    java.util.Arrays.fill(fast, 4);
    fast[998] = 300; // two in a thousand: p99 stays 4 ms, p99.9 shows them
    fast[999] = 300;
    Row h = HalfPeak.row(plan, outcome(fast), new ServerCpu.Usage(0.8, 0.4), 64);
    assertEquals(1499.5, h.opsPerSec(), 1e-9);
    assertEquals(4.0, h.p99Ms(), 0.01);
    assertEquals(0.8, h.nodeCpuCores(), 1e-9);
    assertTrue(h.note().contains("due 1,500/s (50% of a's 3,000 ops/s)"), h.note());
    assertTrue(h.note().contains("p99.9 300 ms"), h.note());
    assertTrue(h.note().contains("up to 3 requests waited for a connection (all 64 busy)"), h.note());
    assertEquals("p99 of a single reservation at half of peak <= 20.00 ms: met (p99 4.00 ms, p50 4.00 ms at 1,500/s)",
        HalfPeak.target(h));

    long[] slow = new long[100];
    java.util.Arrays.fill(slow, 25);
    assertTrue(HalfPeak.target(HalfPeak.row(plan, outcome(slow), ServerCpu.Usage.UNKNOWN, 64)).contains("NOT met"));
    assertTrue(HalfPeak.target(Row.skipped("h", "ours", "x", "no rate")).endsWith("n/a (h skipped: no rate)"));
    assertTrue(HalfPeak.target(null).endsWith("n/a (h did not run)"));
  }
}
