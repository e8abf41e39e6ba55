package com.creditwallet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Scenario m, "a million distinct wallets": creates N wallets ({@code PUT /v1/wallets/{id}} with
 * an overdraft of 1 sms credit, so no grant is needed for a reservation of 1 to succeed), then
 * reserves 1 credit on each through {@code POST /v1/batch} (1,000 wallets per request), while
 * {@link NodeHeap} watches the node's heap.
 *
 * <p>Why it exists: a node that keeps every wallet it ever touched in memory fails somewhere
 * between thousands and millions of wallets, and no test with a few wallets shows it. Touching a
 * million once each, with the node's default heap (-Xmx2g from bin/wallet), shows whether
 * passivation bounds the heap (the node keeps at most WALLET_ACTIVE_WALLETS in memory) and at
 * what rate wallets are created and then brought back from the journal. A 503 (a wallet that
 * did not answer in time) is retried with the same id, as any client may; what still fails is
 * counted and shown.
 */
public final class ManyWallets {

  static final int PUT_CONNECTIONS = 64;
  /**
   * Two batches of 1,000 are about 5 s of work for a node bringing cold wallets back at 400/s:
   * enough to keep its 256 batch asks busy, and well inside its 10 s admission wait. With four
   * in flight (10 s of work) a slow minute pushed some items past that wait again and again.
   */
  static final int BATCHES_IN_FLIGHT = 2;
  static final int BATCH_ITEMS = 1000;
  static final int ATTEMPTS = 5;
  /**
   * A batch item answered 503 got no turn and changed nothing, so it is sent again with the same
   * id, after a pause that grows with each attempt (0.5 s, 1 s, ... up to 5 s): a client that
   * backs off gives a busy node time to drain, one that hammers it keeps it busy.
   */
  static final int BATCH_ATTEMPTS = 10;
  static final long BATCH_BACKOFF_MS = 500;
  static final long BATCH_BACKOFF_MAX_MS = 5000;
  static final int PROGRESS_SECONDS = 10;
  static final int HEAP_SAMPLE_SECONDS = 5;
  static final String WALLET_BODY = "{\"overdraft\":{\"" + WalletScenarios.CATEGORY + "\":1}}";

  /** One phase: how many wallets it did and failed, over how long, latency per request, and the CPU it took. */
  public record Phase(long done, long failed, String firstError, double seconds, Histogram latencyUs,
                      double clientCpuCores, ServerCpu.Usage cpu) {
    public double rate() {
      return seconds <= 0 ? 0 : done / seconds;
    }

    double p50Ms() {
      return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(50) / 1000.0;
    }

    double p99Ms() {
      return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(99) / 1000.0;
    }
  }

  /** The run: both phases (reserve is null if creating failed outright), the heap, the data on disk. */
  public record Result(int wallets, Phase put, Phase reserve, NodeHeap.Summary heap, String heapMissing,
                       boolean nodeAlive, boolean outOfMemory, long dataBytes) {}

  private ManyWallets() {}

  static String wallet(int i) {
    return "bench-m-" + i;
  }

  public static Result run(WalletService service, WalletScenarios http, int wallets, Commands commands)
      throws InterruptedException {
    NodeHeap heap = new NodeHeap(service.nodePid(), commands);
    String heapMissing = heap.unavailable();
    if (heapMissing != null) Log.line("  m: the node's heap is not recorded: " + heapMissing);
    else heap.start(HEAP_SAMPLE_SECONDS);
    Phase put;
    Phase reserve = null;
    try {
      Log.line("m. creating " + Report.ops(wallets) + " wallets (PUT with an overdraft of 1, " + PUT_CONNECTIONS
          + " connections) ...");
      put = phase("created", wallets, wallets, PUT_CONNECTIONS, service, heap,
          (c, next, latency) -> createWallets(http, c, next, wallets, latency));
      Log.line("m. " + Report.ops(put.done()) + " wallets created in " + seconds(put.seconds()) + ", "
          + Report.ops(put.rate()) + "/s" + (put.failed() > 0 ? "; " + put.failed() + " failed, first: " + put.firstError() : ""));
      Log.line("m. one reservation on each through POST /v1/batch (" + Report.ops(BATCH_ITEMS) + " wallets per request, "
          + BATCHES_IN_FLIGHT + " in flight) ...");
      int chunks = (wallets + BATCH_ITEMS - 1) / BATCH_ITEMS;
      reserve = phase("reserved", wallets, chunks, BATCHES_IN_FLIGHT, service, heap,
          (c, next, latency) -> reserveAll(http, c, next, chunks, wallets, latency));
      Log.line("m. " + Report.ops(reserve.done()) + " reservations in " + seconds(reserve.seconds()) + ", "
          + Report.ops(reserve.rate()) + "/s" + (reserve.failed() > 0
          ? "; " + reserve.failed() + " failed, first: " + reserve.firstError() : ""));
    } finally {
      heap.stop();
    }
    boolean alive = ProcessHandle.of(service.nodePid()).map(ProcessHandle::isAlive).orElse(false);
    NodeHeap.Summary summary = null;
    if (heapMissing == null && alive) {
      Log.line("m. forcing a full GC in the node to read its live heap (jcmd GC.run) ...");
      summary = heap.finish();
    }
    return new Result(wallets, put, reserve, summary, heapMissing, alive,
        service.logContains("OutOfMemoryError"), size(service.dataDir().resolve("cassandra")));
  }

  /** Counts shared by a phase's workers. */
  private record Counts(AtomicLong done, AtomicLong failed, AtomicReference<String> firstError) {
    void fail(long n, String why) {
      failed.addAndGet(n);
      firstError.compareAndSet(null, why);
    }
  }

  @FunctionalInterface
  private interface Work {
    void run(Counts counts, AtomicInteger next, Histogram latency) throws Exception;
  }

  /** Runs {@code threads} workers over {@code units} units of work, printing progress until they are done. */
  private static Phase phase(String verb, int wallets, int units, int threads, WalletService service, NodeHeap heap,
                             Work work) throws InterruptedException {
    Counts counts = new Counts(new AtomicLong(), new AtomicLong(), new AtomicReference<>());
    AtomicInteger next = new AtomicInteger();
    Histogram latency = new Histogram(LoadRunner.MAX_LATENCY_US, 3);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    ServerCpu.Mark mark = service.cpu().mark();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < Math.min(threads, units); i++) {
      Histogram own = new Histogram(LoadRunner.MAX_LATENCY_US, 3);
      Thread t = new Thread(() -> {
        try {
          work.run(counts, next, own);
        } catch (InterruptedException e) {
          // stopping
        } catch (Exception e) {
          counts.firstError().compareAndSet(null, e.toString());
        } finally {
          synchronized (latency) {
            latency.add(own);
          }
        }
      }, "m-" + verb + "-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    long lastDone = 0, lastAt = mark.nanos();
    long period = TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
    while (workers.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(200);
      long now = System.nanoTime();
      if (now - lastAt < period) continue;
      long done = counts.done().get();
      Log.line("  m. " + progress(verb, done + counts.failed().get(), wallets, (done - lastDone) / ((now - lastAt) / 1e9),
          heap.latest()));
      lastDone = done;
      lastAt = now;
    }
    double seconds = (System.nanoTime() - mark.nanos()) / 1e9;
    ServerCpu.Usage cpu = service.cpu().since(mark);
    double clientCores = (os.getProcessCpuTime() - cpuStart) / 1e9 / seconds;
    Histogram all;
    synchronized (latency) {
      all = latency.copy();
    }
    return new Phase(counts.done().get(), counts.failed().get(), counts.firstError().get(), seconds, all, clientCores, cpu);
  }

  /** "created 123,456/1,000,000 wallets, 4,120/s, ETA 3.6 min; node heap 812 MiB used, old gen 300 MiB". */
  static String progress(String verb, long done, long total, double rate, NodeHeap.Sample heap) {
    String eta = rate > 0 ? String.format(Locale.ROOT, "%.1f min", (total - done) / rate / 60) : "?";
    return verb + " " + Report.ops(done) + "/" + Report.ops(total) + " wallets, " + Report.ops(rate) + "/s, ETA " + eta
        + (heap == null ? "" : "; node heap " + NodeHeap.bytes(heap.used()) + " used, old gen "
        + NodeHeap.bytes(heap.oldUsed()));
  }

  private static void createWallets(WalletScenarios http, Counts counts, AtomicInteger next, int wallets,
                                    Histogram latency) throws InterruptedException {
    Http1Connection c = http.connection();
    try {
      for (int i = next.getAndIncrement(); i < wallets; i = next.getAndIncrement()) {
        String path = "/v1/wallets/" + wallet(i);
        long t0 = System.nanoTime();
        String error = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
          try {
            Http1Connection.Response r = c.send("PUT", path, http.auth(), WALLET_BODY);
            if (r.status() == 200 || r.status() == 201) {
              error = null;
              break;
            }
            error = "PUT " + r.status() + ": " + WalletScenarios.abbreviate(r.body());
            if (r.status() != 503) break;
          } catch (IOException e) {
            error = "PUT: " + e;
          }
          Thread.sleep(100L * attempt);
        }
        if (error == null) {
          latency.recordValue(Math.min(LoadRunner.MAX_LATENCY_US, Math.max(1, (System.nanoTime() - t0) / 1000)));
          counts.done().incrementAndGet();
        } else {
          counts.fail(1, error);
        }
      }
    } finally {
      c.close();
    }
  }

  private static void reserveAll(WalletScenarios http, Counts counts, AtomicInteger next, int chunks, int wallets,
                                 Histogram latency) throws InterruptedException {
    Http1Connection c = http.connection();
    try {
      for (int chunk = next.getAndIncrement(); chunk < chunks; chunk = next.getAndIncrement()) {
        List<Integer> todo = new ArrayList<>();
        for (int i = chunk * BATCH_ITEMS; i < Math.min(wallets, (chunk + 1) * BATCH_ITEMS); i++) todo.add(i);
        String error = null;
        for (int attempt = 1; attempt <= BATCH_ATTEMPTS && !todo.isEmpty(); attempt++) {
          if (attempt > 1) Thread.sleep(backoffMs(attempt));
          long t0 = System.nanoTime();
          Http1Connection.Response r;
          try {
            r = c.send("POST", "/v1/batch", http.auth(), batchBody(todo));
          } catch (IOException e) {
            error = "POST /v1/batch: " + e;
            continue;
          }
          latency.recordValue(Math.min(LoadRunner.MAX_LATENCY_US, Math.max(1, (System.nanoTime() - t0) / 1000)));
          if (r.status() != 200) {
            error = "POST /v1/batch " + r.status() + ": " + WalletScenarios.abbreviate(r.body());
            if (r.status() == 503) continue;
            break;
          }
          List<Integer> statuses = WalletScenarios.BatchAnswer.statuses(r.body());
          if (statuses.size() != todo.size()) {
            error = "a batch of " + todo.size() + " answered " + statuses.size() + " results";
            break;
          }
          List<Integer> again = new ArrayList<>();
          for (int k = 0; k < todo.size(); k++) {
            int st = statuses.get(k);
            if (st == 201) {
              counts.done().incrementAndGet();
            } else if (st == 503) {
              again.add(todo.get(k)); // the wallet did not answer in time: same id again
            } else {
              counts.fail(1, WalletScenarios.BatchAnswer.of(r.body()).firstOther());
            }
          }
          if (!again.isEmpty()) error = again.size() + " items answered 503 after " + attempt + " attempts";
          todo = again;
        }
        if (!todo.isEmpty()) counts.fail(todo.size(), String.valueOf(error));
      }
    } finally {
      c.close();
    }
  }

  /** The pause before a batch's {@code attempt}-th send (the first is not delayed). */
  static long backoffMs(int attempt) {
    return Math.min(BATCH_BACKOFF_MAX_MS, BATCH_BACKOFF_MS * (attempt - 1));
  }

  static String batchBody(List<Integer> wallets) {
    StringBuilder body = new StringBuilder(wallets.size() * 120).append("{\"requests\":[");
    for (int k = 0; k < wallets.size(); k++) {
      if (k > 0) body.append(',');
      int i = wallets.get(k);
      body.append("{\"walletId\":\"").append(wallet(i)).append("\",\"op\":\"reserve\",\"body\":{\"reservationId\":\"m-")
          .append(i).append("\",\"lines\":[{\"category\":\"").append(WalletScenarios.CATEGORY)
          .append("\",\"amount\":1}]}}");
    }
    return body.append("]}").toString();
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.0f s", s);
  }

  // ---- the rows, the target line and report.md's section (pure, unit-tested) ----

  static final String SYSTEM = "credits wallet";

  static List<Row> rows(Result r) {
    List<Row> rows = new ArrayList<>();
    rows.add(row("m1", "create " + Report.ops(r.wallets()) + " wallets (PUT, " + PUT_CONNECTIONS + " connections)",
        r.put(), "wallets/s; latency per PUT"));
    if (r.reserve() != null) {
      rows.add(row("m2", "1 reservation on each, /v1/batch of " + Report.ops(BATCH_ITEMS) + " (" + BATCHES_IN_FLIGHT
          + " in flight)", r.reserve(), "reservations/s; latency per 1,000-item POST; node heap: " + heapNote(r)));
    }
    return rows;
  }

  private static Row row(String id, String scenario, Phase p, String note) {
    String n = note + "; Java client" + (p.failed() > 0 ? "; " + p.failed() + " failed, first: " + p.firstError() : "");
    if (p.done() == 0) return Row.failed(id, SYSTEM, scenario, "no successful op; " + n);
    return Row.measured(id, SYSTEM, scenario, p.rate(), p.p50Ms(), p.p99Ms(), p.clientCpuCores(), n)
        .withServerCpu(p.cpu());
  }

  private static String heapNote(Result r) {
    if (r.heap() == null) return r.heapMissing() != null ? "not recorded" : "not read (node down)";
    return "max " + NodeHeap.bytes(r.heap().maxUsed()) + " used (sampled every " + HEAP_SAMPLE_SECONDS + " s), "
        + NodeHeap.bytes(r.heap().liveAfterFullGc()) + " live after a full GC";
  }

  static final long TWO_GIB = 2L << 30;

  /** The target: every wallet touched, the node alive without an OutOfMemoryError, its heap under 2 GiB. */
  static String target(Result r) {
    String what = Report.ops(r.wallets()) + " distinct wallets touched (one reservation each) with the node's heap"
        + " under 2 GiB";
    long touched = r.reserve() == null ? 0 : r.reserve().done();
    List<String> why = new ArrayList<>();
    if (touched < r.wallets()) why.add("only " + Report.ops(touched) + " touched");
    if (!r.nodeAlive()) why.add("the node died");
    if (r.outOfMemory()) why.add("OutOfMemoryError in the node's log");
    NodeHeap.Summary h = r.heap();
    if (h == null || h.maxUsed() < 0) {
      why.add("heap not recorded");
    } else if (h.maxUsed() >= TWO_GIB || h.liveAfterFullGc() >= TWO_GIB) {
      why.add("heap reached " + NodeHeap.bytes(Math.max(h.maxUsed(), h.liveAfterFullGc())));
    }
    String figures = h == null ? "" : "max " + NodeHeap.bytes(h.maxUsed()) + " used of " + NodeHeap.bytes(h.maxHeap())
        + " max heap, " + NodeHeap.bytes(h.liveAfterFullGc()) + " live after a full GC, "
        + (h.fullGcs() < 0 ? "?" : h.fullGcs()) + " full GCs during the run";
    String rates = r.reserve() == null ? "" : "; " + Report.ops(r.put().rate()) + " wallets/s created, "
        + Report.ops(r.reserve().rate()) + " reservations/s";
    return what + ": " + (why.isEmpty() ? "met" : "NOT met: " + String.join(", ", why))
        + (figures.isEmpty() ? "" : " (" + figures + rates + ")");
  }

  static Report.Section section(Result r) {
    List<String> lines = new ArrayList<>();
    lines.add("Wallets created with PUT /v1/wallets/{id} and an overdraft of 1 sms credit, then one reservation of 1 on"
        + " each through POST /v1/batch; a PUT answered 503 is sent up to " + ATTEMPTS + " times, a batch item"
        + " answered 503 up to " + BATCH_ATTEMPTS + " times (same id, pauses of " + BATCH_BACKOFF_MS + " ms growing to "
        + BATCH_BACKOFF_MAX_MS + " ms).");
    lines.add(phaseLine("create", r.put(), "wallets"));
    if (r.reserve() != null) lines.add(phaseLine("reserve", r.reserve(), "reservations"));
    NodeHeap.Summary h = r.heap();
    if (h != null) {
      lines.add("node heap: max " + NodeHeap.bytes(h.maxUsed()) + " used and " + NodeHeap.bytes(h.maxCommitted())
          + " committed of " + NodeHeap.bytes(h.maxHeap()) + " max (" + h.samples() + " samples, every "
          + HEAP_SAMPLE_SECONDS + " s); old generation at most " + NodeHeap.bytes(h.maxOldUsed()) + "; "
          + (h.fullGcs() < 0 ? "?" : h.fullGcs()) + " full GCs during the run; " + NodeHeap.bytes(h.liveAfterFullGc())
          + " live after a forced full GC at the end" + (h.problem() == null ? "" : " (" + h.problem() + ")"));
    } else {
      lines.add("node heap: " + (r.heapMissing() != null ? "not recorded: " + r.heapMissing() : "not read: the node is down"));
    }
    lines.add("node " + (r.nodeAlive() ? "alive at the end" : "DEAD at the end") + (r.outOfMemory()
        ? "; its log has an OutOfMemoryError" : "; no OutOfMemoryError in its log") + "; Cassandra data on disk "
        + NodeHeap.bytes(r.dataBytes()));
    lines.add("Used heap includes garbage not yet collected (G1 lets the young generation grow into free heap); the"
        + " live figure after the full GC is what the wallets still in memory hold.");
    StringBuilder md = new StringBuilder();
    for (String l : lines) md.append("- ").append(l).append('\n');
    return new Report.Section("m. " + Report.ops(r.wallets()) + " distinct wallets", lines, md.toString());
  }

  private static String phaseLine(String what, Phase p, String unit) {
    return String.format(Locale.ROOT, "%s: %s %s in %.0f s = %s/s, p50 %s ms, p99 %s ms per request%s", what,
        Report.ops(p.done()), unit, p.seconds(), Report.ops(p.rate()), Report.ms(p.p50Ms()), Report.ms(p.p99Ms()),
        p.failed() > 0 ? "; " + p.failed() + " failed, first: " + p.firstError() : "");
  }
}
