package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The expiry wave's section: the holds made, every window after them, and b's rate beside. */
class ExpiryWaveTest {
  @Test
  void theSectionListsEachWindowAndComparesWithB() {
    Wrk.Result holds = new Wrk.Result(2000, 5, 80, 0.1, 120_000, 120_000, 0, "", 60);
    List<ColdStart.Window> windows = List.of(
        new ColdStart.Window(0.1, 20, 11_100, 0, 24.6, 127.5, 0.05, new ServerCpu.Usage(0.97, 1.01), ""),
        new ColdStart.Window(20.3, 20, 48_000, 3, 5.6, 60.2, 0.05, new ServerCpu.Usage(1.02, 0.87), "503 TIMEOUT"));
    Row b = new Row("b", "credits wallet", "single reservation, 1,000 wallets", 2874, 4.8, 33.4, 0.08, Double.NaN,
        Double.NaN, "wrk", null);
    Report.Section s = ExpiryWave.section(new ExpiryWave.Result(holds, new ServerCpu.Usage(1.1, 0.7), windows), b);

    assertEquals("x. Expiry wave", s.title());
    assertTrue(s.markdown().contains("| 0-20 | 555 | 24.60 | 128 | 0.97 cores | 1.01 cores | 0 |"), s.markdown());
    assertTrue(s.markdown().contains("| 20-40 | 2,400 |"), s.markdown());
    assertTrue(s.markdown().contains("b, measured before, ran at 2,874 ops/s"), s.markdown());
    assertTrue(s.console().get(2).endsWith("3 failed, first: 503 TIMEOUT"), s.console().get(2));
  }
}
