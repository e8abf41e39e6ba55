package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NodeHeapTest {

  // As printed by jstat -gc of JDK 17 (G1), sizes in KiB.
  static final String JSTAT = """
          S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT  \s
          0.0      2048.0         0.0      2048.0      11264.0       1024.0     248832.0       2230.0     8640.0     8452.7    1088.0     992.0      1     0.109     3     0.000     0     0.000     0.109
      """;

  @Test
  void heapUsedIsSurvivorsEdenAndOld() {
    NodeHeap.Sample s = NodeHeap.parseJstat(JSTAT);
    assertEquals((2048 + 1024 + 2230) * 1024L, s.used());
    assertEquals((2048 + 11264 + 248832) * 1024L, s.committed());
    assertEquals(2230 * 1024L, s.oldUsed());
    assertEquals(3, s.fullGcs());
    assertThrows(IllegalArgumentException.class, () -> NodeHeap.parseJstat("12345 not found"));
  }

  @Test
  void liveHeapAndMaxHeapFromJcmd() {
    String heapInfo = """
        3557:
         garbage-first heap   total 17408K, used 2885K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 8966K, committed 9152K, reserved 1114112K
        """;
    assertEquals(2885 * 1024L, NodeHeap.heapInfoUsed(heapInfo), "the heap's used, not Metaspace's");
    assertEquals(2147483648L, NodeHeap.maxHeap("3557:\n-XX:CICompilerCount=2 -XX:MaxHeapSize=2147483648 -XX:+UseG1GC"));
    assertEquals(-1, NodeHeap.maxHeap("3557:\n-XX:+UseG1GC"));
  }

  @Test
  void bytesForPeople() {
    assertEquals("812 MiB", NodeHeap.bytes(812L << 20));
    assertEquals("2.00 GiB", NodeHeap.bytes(2L << 30));
    assertEquals("-", NodeHeap.bytes(-1));
  }
}
