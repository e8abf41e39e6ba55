package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsRunEverythingWithSixteenClients() throws Exception {
    BenchOptions o = BenchOptions.parse(new String[0], false);
    assertEquals(16, o.concurrency());
    assertEquals(20, o.seconds());
    assertEquals(60, o.warmup());
    assertEquals(10, o.phaseWarmup());
    assertEquals(List.copyOf(BenchOptions.ALL), List.copyOf(o.only()));
    assertFalse(o.install());
    assertEquals(Path.of("target", "bench"), o.outDir());
    assertEquals("bin/wallet bench", o.commandLine());
    // 60 s warm-up, a-d 30 s each, e and f two runs of 30 s each.
    assertEquals(60 + 4 * 30 + 2 * 30 + 2 * 30, o.estimatedSeconds());
  }

  @Test
  void parsesBothOptionFormsAndKeepsScenarioOrder() throws Exception {
    BenchOptions o = BenchOptions.parse(
        new String[] {"--install", "--concurrency", "8", "--seconds=10", "--warmup", "20", "--only", "f, A,c"}, false);
    assertTrue(o.install());
    assertEquals(8, o.concurrency());
    assertEquals(10, o.seconds());
    assertEquals(20, o.warmup());
    assertEquals(List.of("a", "c", "f"), List.copyOf(o.only()));
    assertTrue(o.needsService());
    assertTrue(o.measuresService());
    assertEquals("bin/wallet bench --install --concurrency 8 --seconds 10 --warmup 20 --only a,c,f", o.commandLine());
  }

  @Test
  void onlyExternalSystemsNeedNoService() throws Exception {
    BenchOptions o = BenchOptions.parse(new String[] {"--only", "e,f"}, true);
    assertTrue(o.install(), "WALLET_BENCH_INSTALL=1 turns --install on");
    assertFalse(o.needsService());
    assertFalse(o.measuresService());
    assertEquals(4 * 30, o.estimatedSeconds());
    BenchOptions d = BenchOptions.parse(new String[] {"--only", "d"}, false);
    assertTrue(d.needsService());
    assertFalse(d.measuresService(), "raw Cassandra needs the node's Cassandra but no HTTP warm-up");
  }

  @Test
  void rejectsWhatCannotRun() {
    for (String[] bad : List.of(
        new String[] {"--concurrency", "0"},
        new String[] {"--concurrency"},
        new String[] {"--seconds", "ten"},
        new String[] {"--only", "a,x"},
        new String[] {"--only", ","},
        new String[] {"--frobnicate", "1"},
        new String[] {"stray"},
        new String[] {"--http-port", "18379"})) { // same as the default Redis port
      assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(bad, false), String.join(" ", bad));
    }
  }
}
