package com.creditwallet.wakeup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WakeupLayoutTest {
  private static final WakeupLayout LAYOUT =
      new WakeupLayout(Duration.ofMinutes(1), 32, Duration.ofDays(7), Duration.ofDays(3650));
  private static final Instant NOW = Instant.parse("2026-03-01T10:15:42.123Z");

  @Test
  void aDeadlineGoesToTheBucketItFallsIn() {
    assertEquals(Instant.parse("2026-03-01T10:15:00Z"), LAYOUT.bucketOf(NOW));
    assertEquals(Instant.parse("2026-03-01T10:16:00Z"), LAYOUT.bucketOf(Instant.parse("2026-03-01T10:16:00Z")));
    assertEquals(Instant.parse("1969-12-31T23:59:00Z"), LAYOUT.bucketOf(Instant.ofEpochMilli(-1)), "before 1970 too");
  }

  @Test
  void pollingARangeReadsEveryBucketThatCanHoldIt() {
    List<Instant> buckets = LAYOUT.buckets(NOW.minusSeconds(5), NOW.plusSeconds(80));
    assertEquals(List.of(Instant.parse("2026-03-01T10:15:00Z"), Instant.parse("2026-03-01T10:16:00Z"),
        Instant.parse("2026-03-01T10:17:00Z")), buckets);
    assertEquals(1, LAYOUT.buckets(NOW.minusSeconds(2), NOW).size(), "usually one partition per round");
  }

  @Test
  void walletsSpreadOverEveryShardAndKeepTheirs() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      int shard = LAYOUT.shardOf("w-" + i);
      assertTrue(shard >= 0 && shard < 32);
      assertEquals(shard, LAYOUT.shardOf("w-" + i));
      seen.add(shard);
    }
    assertEquals(32, seen.size());
  }

  @Test
  void rowsLiveUntilTheirDeadlinePlusTheGrace() {
    Instant at = NOW.plus(Duration.ofHours(2));
    assertEquals(2 * 3600 + 7 * 86400, LAYOUT.ttlSeconds(at, NOW));
    assertEquals(7 * 86400, LAYOUT.ttlSeconds(NOW.minusSeconds(30), NOW), "already due: only the grace");
  }

  @Test
  void farDeadlinesAreIndexedEarlierWithinCassandrasTtl() {
    Instant far = NOW.plus(Duration.ofDays(365 * 100));
    Instant indexed = LAYOUT.indexedAt(far, NOW);
    assertEquals(NOW.plus(Duration.ofDays(3650)), indexed);
    assertTrue(LAYOUT.ttlSeconds(indexed, NOW) <= 630_720_000);
    assertEquals(NOW.plusSeconds(60), LAYOUT.indexedAt(NOW.plusSeconds(60), NOW));
  }

  @Test
  void aLayoutThatCannotBeWrittenIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new WakeupLayout(Duration.ofMinutes(1), 32, Duration.ofDays(7), Duration.ofDays(365 * 25)));
    assertThrows(IllegalArgumentException.class,
        () -> new WakeupLayout(Duration.ofMinutes(1), 0, Duration.ofDays(7), Duration.ofDays(1)));
  }
}
