package com.creditwallet.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests are due at a fixed rate whatever the server does, and
 * each one's latency runs from the instant it was due, not from when a connection got free to
 * send it.
 *
 * <p>Why it exists: a closed loop (wrk, {@link LoadRunner}) sends less when the server slows, so
 * a stall delays the requests that would have been sent during it without ever counting their
 * wait ("coordinated omission"), and its p99 looks better than what clients arriving at a steady
 * rate would see. Here a scheduler thread puts each request's due time in a queue; a pool of
 * worker threads, each with its own keep-alive connection, takes them in order; a request that
 * waits in the queue because every worker is busy has that wait in its latency. The pool is
 * much larger than the rate needs, so the client itself adds no queueing on a healthy server.
 */
public final class OpenLoop {

  /**
   * What the measured window saw: requests due in it ({@code scheduled}), how many of those
   * answered OK or failed (late answers included), latencies from their due times, the rate of
   * OK answers that arrived inside the window, and the most requests ever waiting for a worker.
   */
  public record Outcome(double targetRate, long scheduled, long ok, long errors, String firstError, double seconds,
                        Histogram latencyUs, double achievedRate, long maxBacklog, double clientCpuCores) {
    public double percentileMs(double p) {
      return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(p) / 1000.0;
    }
  }

  private static final Long STOP = Long.MIN_VALUE;

  private OpenLoop() {}

  /**
   * Sends {@code rate} requests/s for {@code warmupSeconds} unmeasured then {@code seconds}
   * measured, over {@code connections} workers, each calling the op {@code perWorker} makes for it.
   */
  public static Outcome run(String label, double rate, int connections, int warmupSeconds, int seconds,
                            IntFunction<LoadRunner.Op> perWorker, LoadRunner.Window window)
      throws InterruptedException {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    long measureStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long measureEnd = measureStart + TimeUnit.SECONDS.toNanos(seconds);
    double intervalNs = 1e9 / rate;
    LinkedBlockingQueue<Long> due = new LinkedBlockingQueue<>();
    Histogram latency = new Histogram(LoadRunner.MAX_LATENCY_US, 3);
    AtomicLong ok = new AtomicLong(), errors = new AtomicLong(), okInWindow = new AtomicLong(),
        answered = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      LoadRunner.Op op = perWorker.apply(i);
      Thread t = new Thread(() -> {
        while (true) {
          long dueAt;
          try {
            dueAt = due.take();
          } catch (InterruptedException e) {
            return;
          }
          if (dueAt == STOP) return;
          String error = null;
          try {
            op.call();
          } catch (InterruptedException e) {
            return;
          } catch (LoadRunner.Failed e) {
            error = e.getMessage();
          } catch (Exception e) {
            error = e.toString();
          }
          long end = System.nanoTime();
          answered.incrementAndGet();
          if (error == null && end >= measureStart && end < measureEnd) okInWindow.incrementAndGet();
          if (dueAt >= measureStart && dueAt < measureEnd) {
            synchronized (latency) {
              latency.recordValue(Math.min(LoadRunner.MAX_LATENCY_US, Math.max(1, (end - dueAt) / 1000)));
            }
            if (error == null) {
              ok.incrementAndGet();
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, error);
            }
          }
        }
      }, "open-loop-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuAtStart = -1;
    long sent = 0, scheduled = 0, maxBacklog = 0;
    long nextReport = start + TimeUnit.SECONDS.toNanos(5);
    long lastAnswered = 0, lastAt = start;
    while (true) {
      long now = System.nanoTime();
      if (cpuAtStart < 0 && now >= measureStart) {
        cpuAtStart = os.getProcessCpuTime();
        window.opened();
      }
      // Every request already due goes in now: a late scheduler catches up rather than sending less.
      long next = start + (long) (sent * intervalNs);
      while (next <= now && next < measureEnd) {
        due.add(next);
        if (next >= measureStart) scheduled++;
        sent++;
        next = start + (long) (sent * intervalNs);
      }
      if (now >= measureStart) maxBacklog = Math.max(maxBacklog, due.size());
      if (now >= measureEnd) break;
      if (now >= nextReport) {
        long a = answered.get();
        Log.line(String.format(java.util.Locale.ROOT, "  %s (%s): due %s/s, answered %s/s, waiting for a worker %d",
            label, now < measureStart ? "unmeasured" : "measuring", Report.ops(rate),
            Report.ops((a - lastAnswered) / ((now - lastAt) / 1e9)), due.size()));
        lastAnswered = a;
        lastAt = now;
        nextReport += TimeUnit.SECONDS.toNanos(5);
      }
      LockSupport.parkNanos(Math.max(10_000L, Math.min(Math.min(next, nextReport), measureEnd) - now));
    }
    long cpuAtEnd = os.getProcessCpuTime();
    if (cpuAtStart < 0) {
      cpuAtStart = cpuAtEnd;
      window.opened();
    }
    window.closed();
    // Requests due in the window are counted even when they answer after it: dropping the slow
    // ones would be the very omission this loop exists to avoid.
    for (int i = 0; i < workers.size(); i++) due.add(STOP);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Thread t : workers) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
    for (Thread t : workers) t.interrupt();
    Histogram copy;
    synchronized (latency) {
      copy = latency.copy();
    }
    return new Outcome(rate, scheduled, ok.get(), errors.get(), firstError.get(), seconds, copy,
        okInWindow.get() / (double) seconds, maxBacklog, (cpuAtEnd - cpuAtStart) / 1e9 / seconds);
  }
}
