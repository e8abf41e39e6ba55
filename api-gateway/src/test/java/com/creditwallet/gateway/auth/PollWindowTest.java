package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollWindowTest {
  private final PollWindow window = new PollWindow(Duration.ofSeconds(30), Duration.ofMinutes(10));
  private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void theFirstRoundLoadsEverything() {
    PollWindow.Round r = window.next(t0, null, null);
    assertTrue(r.full());
    assertEquals(t0.minusSeconds(30), r.since());
  }

  @Test
  void laterRoundsReadFromAnOverlapBeforeTheLastGoodOne() {
    Instant last = t0.plusSeconds(60);
    PollWindow.Round r = window.next(last.plusSeconds(1), last, t0);
    assertFalse(r.full());
    assertEquals(last.minusSeconds(30), r.since());
    assertEquals(last.plusSeconds(31), r.until(), "reads ahead for nodes whose clock is ahead");
  }

  @Test
  void failedRoundsKeepTheStartingPoint() {
    Instant last = t0.plusSeconds(60);
    // Rounds failed for five minutes: the next one still reads from the last good one.
    PollWindow.Round r = window.next(last.plusSeconds(300), last, t0);
    assertFalse(r.full());
    assertEquals(last.minusSeconds(30), r.since());
  }

  @Test
  void aFullReloadEveryFewMinutesAndAfterALongGap() {
    assertTrue(window.next(t0.plus(Duration.ofMinutes(10)), t0.plus(Duration.ofMinutes(9)), t0).full());
    PollWindow rare = new PollWindow(Duration.ofSeconds(30), Duration.ofDays(30));
    assertTrue(rare.next(t0.plus(Duration.ofDays(1)), t0, t0).full(), "the change log may have expired");
  }
}
