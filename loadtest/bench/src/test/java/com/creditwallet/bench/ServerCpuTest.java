package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerCpuTest {

  @Test
  void readsUserPlusSystemTicksAfterTheCommandName() {
    String stat = "3557 (java) S 1 3553 29456 0 -1 4194304 15434 0 0 0 138 30 0 0 20 0 22 0 1016558 2914373632 16952";
    assertEquals(168, ServerCpu.statTicks(stat));
    // A command name may hold spaces and parentheses: fields count from the last ')'.
    String odd = "42 (my (odd) name) R 1 2 3 0 -1 0 0 0 0 0 1000 250 0 0 20 0 1 0 5 6 7";
    assertEquals(1250, ServerCpu.statTicks(odd));
  }

  @Test
  void coresAreCpuSecondsOverWallSeconds() {
    ServerCpu cpu = new ServerCpu(1, 2, 100);
    ServerCpu.Mark start = new ServerCpu.Mark(0, 1_000, 500);
    ServerCpu.Mark end = new ServerCpu.Mark(2_000_000_000L, 1_300, 560); // 2 s later: 3.0 and 0.6 CPU seconds
    ServerCpu.Usage u = cpu.between(start, end);
    assertEquals(1.5, u.nodeCores(), 1e-9);
    assertEquals(0.3, u.cassandraCores(), 1e-9);
    ServerCpu.Usage unknown = cpu.between(new ServerCpu.Mark(0, 1_000, -1), end);
    assertTrue(Double.isNaN(unknown.cassandraCores()), "an unreadable pid gives NaN, not a wrong figure");
  }

  @Test
  void readsThisJvmsOwnCounters() {
    ServerCpu self = ServerCpu.of(ProcessHandle.current().pid(), -1);
    ServerCpu.Mark m = self.mark();
    assertTrue(m.nodeTicks() >= 0, "/proc/self/stat is readable on Linux");
    assertEquals(-1, m.cassandraTicks());
    assertEquals(-1, ServerCpu.none().mark().nodeTicks());
  }
}
