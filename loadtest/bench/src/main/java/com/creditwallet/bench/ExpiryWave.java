package com.creditwallet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario x, "expiry wave": {@link #HOLD_SECONDS} s of single reservations over the 1,000
 * wallets of b, each hold with a TTL of {@link #TTL_SECONDS} s and never committed; then, while
 * those holds expire (each a release, a ledger line and a {@code reservation.expired}
 * notification), ordinary single reservations as in b, in {@link #WINDOW_SECONDS}-s windows.
 *
 * <p>Why it exists: a sender whose system stops after reserving a broadcast leaves every hold to
 * expire at once. The other scenarios never see an expiry (their holds last 15 minutes, the bench
 * less), and this load once cut a node's ordinary reservations to a fiftieth for over a minute.
 * The windows show how deep and how long the dip is. Driven by wrk only; runs last, since its
 * expiries would land in whatever ran after it.
 */
public final class ExpiryWave {
  static final int HOLD_SECONDS = 60;
  static final int TTL_SECONDS = 60;
  static final int WINDOW_SECONDS = 20;
  /** Windows after the holds: the wave lasts about as long as the holds were made, plus the TTL's spread. */
  static final int WINDOWS = 7;

  /** The holds' run and the windows after it; each window's start is in seconds after the holds ended. */
  public record Result(Wrk.Result holds, ServerCpu.Usage holdsCpu, List<ColdStart.Window> windows) {}

  private ExpiryWave() {}

  public static Result run(WalletService service, Wrk wrk) throws Exception {
    Log.line(String.format(Locale.ROOT, "  x: %d s of holds with a %d-s TTL over the 1,000 wallets ...", HOLD_SECONDS,
        TTL_SECONDS));
    ServerCpu.Mark before = service.cpu().mark();
    Wrk.Result holds = wrk.run("spread", "x-holds", HOLD_SECONDS, null, TTL_SECONDS);
    ServerCpu.Usage holdsCpu = service.cpu().since(before);
    long end = System.nanoTime();
    Log.line(String.format(Locale.ROOT, "  x. %s holds made (%s/s); ordinary reservations in %d-s windows while they"
        + " expire ...", Report.ops(holds.ok()), Report.ops(holds.opsPerSec()), WINDOW_SECONDS));
    List<ColdStart.Window> windows = new ArrayList<>();
    for (int i = 0; i < WINDOWS; i++) {
      ServerCpu.Mark mark = service.cpu().mark();
      double start = (mark.nanos() - end) / 1e9;
      Wrk.Result r = wrk.run("spread", "x" + i, WINDOW_SECONDS);
      ColdStart.Window w = new ColdStart.Window(start, r.seconds(), r.ok(), r.failed(), r.p50Ms(), r.p99Ms(),
          r.cpuCores(), service.cpu().since(mark), r.firstError());
      windows.add(w);
      Log.line("  x. " + line(w));
    }
    return new Result(holds, holdsCpu, windows);
  }

  /** "0-20 s after the holds: 555 ops/s, p50 24.60 ms, p99 128 ms, node 0.97 cores / Cassandra 1.01 cores". */
  static String line(ColdStart.Window w) {
    return String.format(Locale.ROOT, "%.0f-%.0f s after the holds: %s ops/s, p50 %s ms, p99 %s ms, node %s / Cassandra"
        + " %s%s", w.startSeconds(), w.startSeconds() + w.seconds(), Report.ops(w.opsPerSec()), Report.ms(w.p50Ms()),
        Report.ms(w.p99Ms()), Report.cores(w.cpu().nodeCores()), Report.cores(w.cpu().cassandraCores()),
        w.failed() > 0 ? "; " + w.failed() + " failed, first: " + w.firstError() : "");
  }

  /** The windows as report.md's section, next to b's rate when b ran. */
  static Report.Section section(Result r, Row b) {
    List<String> console = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    String intro = String.format(Locale.ROOT, "%s single reservations over the 1,000 wallets of b with a %d-s TTL in %d s"
        + " (%s/s, node %s / Cassandra %s), never committed; then ordinary reservations as in b (wrk, same"
        + " concurrency) while they expire.%s", Report.ops(r.holds().ok()), TTL_SECONDS, HOLD_SECONDS,
        Report.ops(r.holds().opsPerSec()), Report.cores(r.holdsCpu().nodeCores()),
        Report.cores(r.holdsCpu().cassandraCores()), b != null && b.isMeasured()
            ? " b, measured before, ran at " + Report.ops(b.opsPerSec()) + " ops/s." : "");
    console.add(intro);
    md.append(intro).append("\n\n");
    md.append("| seconds after the holds | ops/s | p50 ms | p99 ms | node CPU | Cassandra CPU | failed |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (ColdStart.Window w : r.windows()) {
      console.add(line(w));
      md.append(String.format(Locale.ROOT, "| %.0f-%.0f | %s | %s | %s | %s | %s | %d |%n", w.startSeconds(),
          w.startSeconds() + w.seconds(), Report.ops(w.opsPerSec()), Report.ms(w.p50Ms()), Report.ms(w.p99Ms()),
          Report.cores(w.cpu().nodeCores()), Report.cores(w.cpu().cassandraCores()), w.failed()));
    }
    return new Report.Section("x. Expiry wave", console, md.toString());
  }
}
