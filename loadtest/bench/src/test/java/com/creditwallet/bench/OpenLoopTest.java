package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The open loop against in-memory operations that take a known time (no server involved). */
class OpenLoopTest {

  @Test
  void keepsTheRateWhenTheServerKeepsUp() throws Exception {
    AtomicLong calls = new AtomicLong();
    OpenLoop.Outcome o = OpenLoop.run("test", 200, 8, 0, 1, w -> () -> {
      calls.incrementAndGet();
      Thread.sleep(2);
      return 1;
    }, LoadRunner.Window.NONE);
    assertEquals(200, o.scheduled(), 2, "one request due every 5 ms for 1 s");
    assertEquals(o.scheduled(), o.ok(), "every due request answered, late ones included");
    assertEquals(0, o.errors());
    assertTrue(o.percentileMs(50) < 100, "no queueing: " + o.percentileMs(50));
  }

  @Test
  void latencyRunsFromTheDueTimeSoASlowServerShowsItsQueue() throws Exception {
    // One worker, 20 ms per request, 100 requests/s due: the server can do only half. A closed
    // loop would report ~20 ms per request; from the due time, the wait in the queue counts too.
    OpenLoop.Outcome o = OpenLoop.run("test", 100, 1, 0, 1, w -> () -> {
      Thread.sleep(20);
      return 1;
    }, LoadRunner.Window.NONE);
    assertEquals(100, o.scheduled(), 2);
    assertEquals(o.scheduled(), o.ok(), "requests due in the window count even when answered after it");
    assertTrue(o.percentileMs(99) > 500, "p99 from the due time: " + o.percentileMs(99));
    assertTrue(o.maxBacklog() > 10, "requests waited for the worker: " + o.maxBacklog());
    assertTrue(o.achievedRate() < 70, "only about 50/s answered inside the window: " + o.achievedRate());
  }

  @Test
  void failuresAreCountedWithTheFirstReason() throws Exception {
    AtomicLong n = new AtomicLong();
    OpenLoop.Outcome o = OpenLoop.run("test", 100, 4, 0, 1, w -> () -> {
      if (n.incrementAndGet() % 10 == 0) throw new LoadRunner.Failed("HTTP 503: busy");
      return 1;
    }, LoadRunner.Window.NONE);
    assertEquals(o.scheduled(), o.ok() + o.errors());
    assertEquals(o.scheduled() / 10, o.errors(), 1);
    assertEquals("HTTP 503: busy", o.firstError());
  }
}
