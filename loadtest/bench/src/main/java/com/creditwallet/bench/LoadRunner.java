package com.creditwallet.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: N threads, each with one operation in flight at a time (like
 * wrk's connections, pgbench's clients and redis-benchmark's clients), for an unmeasured
 * warm-up and then a measured window, with every latency of the window in an HdrHistogram.
 *
 * <p>Why it exists: the same loop drives the HTTP scenarios and the raw Cassandra inserts, so
 * they are measured identically. It counts what completes inside the window (like wrk), and it
 * measures its own CPU over the window: on 2 cores the client competes with the server, and
 * the report says how much it took.
 */
public final class LoadRunner {

  /** One operation; returns how many logical ops it did (1, or the items of a batch). */
  @FunctionalInterface
  public interface Op {
    int call() throws Exception;
  }

  /**
   * An operation that answered but did not do all it should (e.g. a non-201 status); {@code done}
   * says how many of its ops did succeed (a batch may succeed in part).
   */
  public static final class Failed extends Exception {
    final int done;

    public Failed(String message) {
      this(message, 0);
    }

    public Failed(String message, int done) {
      super(message, null, false, false);
      this.done = done;
    }
  }

  /** What a run measured in its window. */
  public record Outcome(long ops, long calls, long errors, String firstError, double seconds, Histogram latencyUs,
                        double clientCpuCores) {
    public double opsPerSec() {
      return ops / seconds;
    }

    public double p50Ms() {
      return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(50) / 1000.0;
    }

    public double p99Ms() {
      return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(99) / 1000.0;
    }
  }

  /**
   * Told when the measured window opens and closes, so that other counters (the node's and
   * Cassandra's CPU) cover exactly the window the ops are counted in.
   */
  public interface Window {
    void opened();

    void closed();

    Window NONE = new Window() {
      @Override
      public void opened() {}

      @Override
      public void closed() {}
    };
  }

  /** A window that measures the service's CPU; {@link #usage()} once it closed. */
  public static final class CpuWindow implements Window {
    private final ServerCpu cpu;
    private volatile ServerCpu.Mark start;
    private volatile ServerCpu.Usage usage = ServerCpu.Usage.UNKNOWN;

    public CpuWindow(ServerCpu cpu) {
      this.cpu = cpu;
    }

    @Override
    public void opened() {
      start = cpu.mark();
    }

    @Override
    public void closed() {
      if (start != null) usage = cpu.since(start);
    }

    public ServerCpu.Usage usage() {
      return usage;
    }
  }

  static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(5);

  private LoadRunner() {}

  /**
   * Runs {@code concurrency} threads, each calling the op that {@code perThread} makes for it,
   * for {@code warmupSeconds} unmeasured then {@code seconds} measured. Prints progress every
   * 5 s under {@code label}.
   */
  public static Outcome run(String label, int concurrency, int warmupSeconds, int seconds, IntFunction<Op> perThread)
      throws InterruptedException {
    return run(label, concurrency, warmupSeconds, seconds, perThread, Window.NONE);
  }

  /** The same, telling {@code window} when the measured window opens and closes. */
  public static Outcome run(String label, int concurrency, int warmupSeconds, int seconds, IntFunction<Op> perThread,
                            Window window) throws InterruptedException {
    long start = System.nanoTime();
    long measureStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long measureEnd = measureStart + TimeUnit.SECONDS.toNanos(seconds);
    LongAdder progressOps = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Worker w = new Worker(perThread.apply(i), measureStart, measureEnd, progressOps, firstError);
      w.thread = new Thread(w, "load-" + i);
      w.thread.setDaemon(true);
      workers.add(w);
    }
    for (Worker w : workers) w.thread.start();

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuAtStart = -1;
    long lastOps = 0;
    long lastAt = start;
    long nextReport = start + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      long now = System.nanoTime();
      if (cpuAtStart < 0 && now >= measureStart) {
        cpuAtStart = os.getProcessCpuTime();
        window.opened();
      }
      if (now >= measureEnd) break;
      if (now >= nextReport) {
        long ops = progressOps.sum();
        double rate = (ops - lastOps) / ((now - lastAt) / 1e9);
        String phase = now < measureStart
            ? "unmeasured " + (now - start) / 1_000_000_000L + "/" + warmupSeconds + " s"
            : "measuring " + (now - measureStart) / 1_000_000_000L + "/" + seconds + " s";
        Log.line("  " + label + " (" + phase + "): " + Report.ops(rate) + " ops/s");
        lastOps = ops;
        lastAt = now;
        nextReport += TimeUnit.SECONDS.toNanos(5);
      }
      long wake = Math.min(nextReport, cpuAtStart < 0 ? measureStart : measureEnd);
      long sleepNs = Math.max(1_000_000L, Math.min(wake - now, 200_000_000L));
      Thread.sleep(sleepNs / 1_000_000L, (int) (sleepNs % 1_000_000L));
    }
    long cpuAtEnd = os.getProcessCpuTime();
    if (cpuAtStart < 0) {
      cpuAtStart = cpuAtEnd;
      window.opened();
    }
    window.closed();
    // In-flight calls finish (and are not counted: they end after the window).
    for (Worker w : workers) w.thread.join(TimeUnit.SECONDS.toMillis(60));

    Histogram all = new Histogram(MAX_LATENCY_US, 3);
    long ops = 0, calls = 0, errors = 0;
    for (Worker w : workers) {
      synchronized (w) {
        all.add(w.histogram);
        ops += w.ops;
        calls += w.calls;
        errors += w.errors;
      }
    }
    double cpuCores = (cpuAtEnd - cpuAtStart) / 1e9 / seconds;
    return new Outcome(ops, calls, errors, firstError.get(), seconds, all, cpuCores);
  }

  private static final class Worker implements Runnable {
    final Op op;
    final long measureStart;
    final long measureEnd;
    final LongAdder progressOps;
    final AtomicReference<String> firstError;
    final Histogram histogram = new Histogram(MAX_LATENCY_US, 3);
    long ops;
    long calls;
    long errors;
    Thread thread;

    Worker(Op op, long measureStart, long measureEnd, LongAdder progressOps, AtomicReference<String> firstError) {
      this.op = op;
      this.measureStart = measureStart;
      this.measureEnd = measureEnd;
      this.progressOps = progressOps;
      this.firstError = firstError;
    }

    @Override
    public void run() {
      while (System.nanoTime() < measureEnd) {
        long t0 = System.nanoTime();
        int done = 0;
        String error = null;
        try {
          done = op.call();
        } catch (InterruptedException e) {
          return;
        } catch (Failed e) {
          done = e.done;
          error = e.getMessage();
        } catch (Exception e) {
          error = e.toString();
        }
        long t1 = System.nanoTime();
        progressOps.add(done);
        if (t1 >= measureStart && t1 < measureEnd) {
          synchronized (this) {
            calls++;
            ops += done;
            histogram.recordValue(Math.min(MAX_LATENCY_US, Math.max(1, (t1 - t0) / 1000)));
            if (error != null) errors++;
          }
        }
        if (error != null) {
          firstError.compareAndSet(null, error);
          try {
            Thread.sleep(10); // a failing system is not hammered in a tight loop
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }
}
