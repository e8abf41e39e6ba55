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
    assertEquals(List.of("a", "b", "c", "d", "e", "f", "w", "h"), List.copyOf(o.only()), "m only when asked for");
    assertFalse(o.setsNodeWarmup());
    assertEquals(0, o.rate());
    assertEquals(1_000_000, o.wallets());
    assertFalse(o.install());
    assertEquals(Path.of("target", "bench"), o.outDir());
    assertEquals("bin/wallet bench", o.commandLine());
    // w 60 s, 60 s warm-up, a-d and h 30 s each, e and f two runs of 30 s each: under the 10 minutes
    // the issue allows, with a few minutes left for starting and stopping the systems.
    assertEquals(60 + 60 + 5 * 30 + 2 * 30 + 2 * 30, o.estimatedSeconds());
    assertTrue(o.estimatedSeconds() <= 7 * 60, "room for starts and stops within 10 minutes");
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
  void newScenariosAndTheirOptions() throws Exception {
    BenchOptions m = BenchOptions.parse(new String[] {"--only", "m", "--wallets", "3000"}, false);
    assertEquals(List.of("m"), List.copyOf(m.only()));
    assertTrue(m.needsService());
    assertFalse(m.measuresService(), "m makes its own wallets and needs no mixed warm-up");
    assertEquals(3000 / 1500 + 3000 / 3000 + 30, m.estimatedSeconds());
    assertEquals(m.estimatedSeconds(), m.manySeconds());
    assertEquals(0, BenchOptions.defaults().manySeconds());
    assertEquals("bin/wallet bench --only m --wallets 3000", m.commandLine());
    BenchOptions million = BenchOptions.parse(new String[] {"--only", "m"}, false);
    assertTrue(million.estimatedSeconds() > 10 * 60, "a million wallets take many minutes: not in the default set");

    BenchOptions x = BenchOptions.parse(new String[] {"--only", "b,x"}, false);
    assertTrue(x.measuresService(), "x reserves on b's wallets, which the warm-up sets up");
    assertFalse(BenchOptions.defaults().runs("x"), "the expiry wave is asked for on its own");
    assertEquals(x.warmup() + x.phaseWarmup() + x.seconds() + ExpiryWave.HOLD_SECONDS
        + ExpiryWave.WINDOWS * ExpiryWave.WINDOW_SECONDS, x.estimatedSeconds());

    BenchOptions w = BenchOptions.parse(new String[] {"--only", "w", "--node-warmup", "0"}, false);
    assertTrue(w.needsService());
    assertFalse(w.measuresService(), "w runs before the bench's wallets and warm-up");
    assertTrue(w.setsNodeWarmup());
    assertEquals(0, w.nodeWarmup());
    assertEquals(BenchOptions.COLD_SECONDS, w.estimatedSeconds());
    assertEquals("bin/wallet bench --only w --node-warmup 0", w.commandLine());

    BenchOptions h = BenchOptions.parse(new String[] {"--only=h", "--rate=1500"}, false);
    assertTrue(h.measuresService(), "h measures a warm node on the bench's wallets");
    assertEquals(1500, h.rate());
    assertEquals("bin/wallet bench --only h --rate 1500", h.commandLine());
  }

  @Test
  void rejectsWhatCannotRun() {
    for (String[] bad : List.of(
        new String[] {"--concurrency", "0"},
        new String[] {"--concurrency"},
        new String[] {"--seconds", "ten"},
        new String[] {"--only", "a,z"},
        new String[] {"--wallets", "0"},
        new String[] {"--rate", "0"},
        new String[] {"--node-warmup", "-1"},
        new String[] {"--only", ","},
        new String[] {"--frobnicate", "1"},
        new String[] {"stray"},
        new String[] {"--http-port", "18379"})) { // same as the default Redis port
      assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(bad, false), String.join(" ", bad));
    }
  }
}
