package com.creditwallet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario w, "time to full speed": from the instant the node first answers ready, before the
 * bench creates its other wallets or warms anything, single reservations of 1 credit for
 * {@link BenchOptions#COLD_SECONDS} s, in windows of {@link BenchOptions#COLD_WINDOW_SECONDS} s,
 * each with its ops/s, p99 and the service's CPU.
 *
 * <p>Why it exists: the target is a node at full speed within 30 s of being ready; only a curve
 * taken from ready on shows how fast a fresh node gets there (compare {@code --node-warmup 0}
 * with the node's default). Each window gets a fresh wallet (created and funded right after
 * ready, a dozen requests): a wallet holding every reservation of the minute before would mix
 * the JIT's progress with the growth of one wallet's open holds, and a fast node would reach
 * the per-wallet cap on open holds within the minute.
 */
public final class ColdStart {

  /** One window: when it started (seconds after ready), how long wrk or the Java client ran, what it measured. */
  public record Window(double startSeconds, double seconds, long ok, long failed, double p50Ms, double p99Ms,
                       double clientCpuCores, ServerCpu.Usage cpu, String firstError) {
    public double opsPerSec() {
      return seconds <= 0 ? 0 : ok / seconds;
    }
  }

  /** The whole curve; {@code setUpSeconds} is what creating the windows' wallets took after ready. */
  public record Result(String client, double setUpSeconds, List<Window> windows) {}

  static final String SYSTEM = "credits wallet";
  static final String SCENARIO = "first 30 s after ready, 1 hot wallet";

  private ColdStart() {}

  static String wallet(int window) {
    return String.format(Locale.ROOT, "bench-cold-%02d", window + 1);
  }

  /** The bound: full speed within this many seconds of ready. */
  static final int TARGET_SECONDS = 30;

  static int windowCount() {
    return BenchOptions.COLD_SECONDS / BenchOptions.COLD_WINDOW_SECONDS;
  }

  /**
   * How many windows belong to the first 30 s after ready: those whose middle falls in it (the
   * first starts once the wallets exist, and each wrk run adds a moment, so the windows do not
   * fall exactly on 5-s marks).
   */
  static int firstThirtySeconds(List<Window> windows) {
    int n = 0;
    while (n < windows.size() && windows.get(n).startSeconds() + windows.get(n).seconds() / 2
        < TARGET_SECONDS) {
      n++;
    }
    return n;
  }

  /** Runs it; wrk may be null (then the bench's Java client drives it). */
  public static Result run(WalletService service, WalletScenarios http, Wrk wrk, int concurrency)
      throws Exception {
    int n = windowCount();
    List<String> wallets = new ArrayList<>();
    for (int i = 0; i < n; i++) wallets.add(wallet(i));
    http.createAndFund(wallets, Math.min(n, concurrency));
    double setUp = (System.nanoTime() - service.readyAt()) / 1e9;
    Log.line(String.format(Locale.ROOT, "  w: %d fresh wallets created %.1f s after ready; windows of %d s until %d s"
        + " after ready ...", n, setUp, BenchOptions.COLD_WINDOW_SECONDS, BenchOptions.COLD_SECONDS));
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ServerCpu.Mark mark = service.cpu().mark();
      double start = (mark.nanos() - service.readyAt()) / 1e9;
      if (start >= BenchOptions.COLD_SECONDS) break;
      Window w;
      if (wrk != null) {
        Wrk.Result r = wrk.run("cold", "w" + i, BenchOptions.COLD_WINDOW_SECONDS, wallet(i));
        w = new Window(start, r.seconds(), r.ok(), r.failed(), r.p50Ms(), r.p99Ms(), r.cpuCores(),
            service.cpu().since(mark), r.firstError());
      } else {
        String wallet = wallet(i);
        LoadRunner.CpuWindow cpu = new LoadRunner.CpuWindow(service.cpu());
        LoadRunner.Outcome o = LoadRunner.run("w", concurrency, 0, BenchOptions.COLD_WINDOW_SECONDS,
            t -> http.single(wallet), cpu);
        http.closeConnections();
        w = new Window(start, o.seconds(), o.ops(), o.errors(), o.p50Ms(), o.p99Ms(), o.clientCpuCores(), cpu.usage(),
            o.firstError() == null ? "" : WalletScenarios.abbreviate(o.firstError()));
      }
      windows.add(w);
      Log.line("  w. " + line(w));
    }
    return new Result(wrk != null ? "wrk" : "Java client", setUp, windows);
  }

  /** Ops/s over windows [from, to): all their successes over all their seconds. */
  static double rate(List<Window> windows, int from, int to) {
    long ok = 0;
    double seconds = 0;
    for (Window w : windows.subList(from, to)) {
      ok += w.ok();
      seconds += w.seconds();
    }
    return seconds <= 0 ? Double.NaN : ok / seconds;
  }

  /** Cores used over windows [from, to), weighted by their lengths. */
  static ServerCpu.Usage cpu(List<Window> windows, int from, int to) {
    return new ServerCpu.Usage(average(windows, from, to, w -> w.cpu().nodeCores()),
        average(windows, from, to, w -> w.cpu().cassandraCores()));
  }

  private static double average(List<Window> windows, int from, int to,
                                java.util.function.ToDoubleFunction<Window> cores) {
    double sum = 0, seconds = 0;
    for (Window w : windows.subList(from, to)) {
      sum += cores.applyAsDouble(w) * w.seconds();
      seconds += w.seconds();
    }
    return seconds <= 0 ? Double.NaN : sum / seconds;
  }

  /**
   * The table's row: ops/s over the first 30 s after ready; p99 the worst of their windows' (wrk
   * gives percentiles per run, which cannot be merged), no p50; the figure after 30 s in the note.
   */
  static Row row(Result r) {
    List<Window> ws = r.windows();
    int early = firstThirtySeconds(ws);
    if (early == 0) return Row.failed("w", SYSTEM, SCENARIO, "no window ran");
    double first = rate(ws, 0, early);
    double worstP99 = Double.NaN;
    long failed = 0;
    String firstError = "";
    for (Window w : ws) {
      failed += w.failed();
      if (firstError.isEmpty() && w.firstError() != null) firstError = w.firstError();
    }
    for (Window w : ws.subList(0, early)) {
      if (!Double.isNaN(w.p99Ms()) && (Double.isNaN(worstP99) || w.p99Ms() > worstP99)) worstP99 = w.p99Ms();
    }
    List<String> notes = new ArrayList<>();
    if (ws.size() > early) {
      notes.add("30-" + BenchOptions.COLD_SECONDS + " s after ready: " + Report.ops(rate(ws, early, ws.size())) + " ops/s");
    }
    notes.add("p99 of the worst " + BenchOptions.COLD_WINDOW_SECONDS + "-s window");
    notes.add(r.client());
    if (failed > 0) notes.add(failed + " failed, first: " + firstError);
    if (first <= 0 || Double.isNaN(first)) return Row.failed("w", SYSTEM, SCENARIO, "no successful op; " + String.join("; ", notes));
    return new Row("w", SYSTEM, SCENARIO, first, Double.NaN, worstP99, average(ws, 0, early, Window::clientCpuCores),
        Double.NaN, Double.NaN, String.join("; ", notes), null).withServerCpu(cpu(ws, 0, early));
  }

  /** "10.2-15.2 s after ready: 2,345 ops/s, p99 12.30 ms, node 1.10 / Cassandra 0.60 cores". */
  static String line(Window w) {
    return String.format(Locale.ROOT, "%.1f-%.1f s after ready: %s ops/s, p99 %s ms, node %s / Cassandra %s cores%s",
        w.startSeconds(), w.startSeconds() + w.seconds(), Report.ops(w.opsPerSec()), Report.ms(w.p99Ms()),
        num(w.cpu().nodeCores()), num(w.cpu().cassandraCores()),
        w.failed() > 0 ? "; " + w.failed() + " failed, first: " + w.firstError() : "");
  }

  /** The curve as report.md's section. */
  static Report.Section section(Result r, String nodeWarmup) {
    List<String> console = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    String intro = "Single reservations (" + r.client() + ", same concurrency as a) from the node's ready on, before any"
        + " other load; node warm-up before ready: " + nodeWarmup + ". A fresh wallet per window (created "
        + String.format(Locale.ROOT, "%.1f", r.setUpSeconds()) + " s after ready).";
    console.add(intro);
    md.append(intro).append("\n\n");
    md.append("| seconds after ready | ops/s | p50 ms | p99 ms | node CPU | Cassandra CPU | failed |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Window w : r.windows()) {
      console.add(line(w));
      md.append(String.format(Locale.ROOT, "| %.1f-%.1f | %s | %s | %s | %s | %s | %d |%n", w.startSeconds(),
          w.startSeconds() + w.seconds(), Report.ops(w.opsPerSec()), Report.ms(w.p50Ms()), Report.ms(w.p99Ms()),
          Report.cores(w.cpu().nodeCores()), Report.cores(w.cpu().cassandraCores()), w.failed()));
    }
    return new Report.Section("w. Time to full speed after ready", console, md.toString());
  }

  /** Full speed is taken as 90% of the warm hot wallet's rate (a) in the last window of the first 30 s. */
  static final double FULL_SPEED = 0.9;

  /** The target line: is the window ending about 30 s after ready at full speed? */
  static String target(Result r, Row a) {
    int early = firstThirtySeconds(r.windows());
    String what = "full speed within 30 s of ready (last window of the first 30 s at >= "
        + Math.round(FULL_SPEED * 100) + "% of a's warm rate)";
    if (early == 0) return what + ": n/a (w did not run)";
    if (a == null || !a.isMeasured()) return what + ": n/a (a not measured)";
    Window last = r.windows().get(early - 1);
    double ratio = last.opsPerSec() / a.opsPerSec();
    return what + ": " + (ratio >= FULL_SPEED ? "met" : "NOT met") + String.format(Locale.ROOT,
        " (%.1f-%.1f s: %s ops/s = %s of a's %s)", last.startSeconds(), last.startSeconds() + last.seconds(),
        Report.ops(last.opsPerSec()), Report.times(ratio), Report.ops(a.opsPerSec()));
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
