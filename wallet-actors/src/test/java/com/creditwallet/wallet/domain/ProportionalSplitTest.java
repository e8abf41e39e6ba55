package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProportionalSplitTest {

  @Test
  void exactSharesNeedNoRounding() {
    assertEquals(Map.of("a", 30L, "b", 10L), ProportionalSplit.split(40, Map.of("a", 300L, "b", 100L)));
  }

  @Test
  void leftoverCreditsGoToTheLargestRemainders() {
    // 10 over 1:1:1 = 3.33 each: floors 3,3,3; the 1 left goes to the tie winner by name.
    assertEquals(Map.of("a", 4L, "b", 3L, "c", 3L), ProportionalSplit.split(10, Map.of("c", 5L, "b", 5L, "a", 5L)));
    // 7 over 50:30:20 = 3.5, 2.1, 1.4: floors 3,2,1, remainders .5 .1 .4: the 1 left goes to "a".
    assertEquals(Map.of("a", 4L, "b", 2L, "c", 1L), ProportionalSplit.split(7, Map.of("a", 50L, "b", 30L, "c", 20L)));
    // remainders .4 (x) vs .5 (y): y first even though x sorts first by name.
    assertEquals(Map.of("x", 1L, "y", 2L), ProportionalSplit.split(3, Map.of("x", 40L, "y", 50L)));
  }

  @Test
  void tiesAreBrokenByName() {
    assertEquals(Map.of("list-1", 1L), ProportionalSplit.split(1, Map.of("list-2", 10L, "list-1", 10L)));
  }

  @Test
  void sharesAlwaysAddUpAndNeverExceedTheirWeight() {
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + random.nextInt(6);
      Map<String, Long> weights = new java.util.TreeMap<>();
      long total = 0;
      for (int i = 0; i < n; i++) {
        long w = random.nextInt(1000);
        weights.put("s" + i, w);
        total += w;
      }
      long amount = total == 0 ? 0 : 1 + (long) (random.nextDouble() * total);
      Map<String, Long> split = ProportionalSplit.split(amount, weights);
      long sum = split.values().stream().mapToLong(Long::longValue).sum();
      assertEquals(total == 0 ? 0 : amount, sum, "round " + round + " " + weights);
      int r = round;
      split.forEach((k, v) -> assertTrue(v <= weights.get(k), "round " + r));
    }
  }

  @Test
  void hugeAmountsDoNotOverflow() {
    long big = 900_000_000_000L;
    Map<String, Long> split = ProportionalSplit.split(big, Map.of("a", big, "b", big));
    assertEquals(big, split.get("a") + split.get("b"));
  }
}
