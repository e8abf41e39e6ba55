package com.creditwallet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario h, "latency at half of peak": single reservations on one fresh hot wallet at a fixed
 * rate, half of what a measured as the hot wallet's peak, in an open loop ({@link OpenLoop}).
 *
 * <p>Why it exists: a service is not run at its peak; what clients feel is the latency at the
 * load it is sized for, and a closed loop at peak only shows queueing. The target is a
 * p99 of at most {@link #TARGET_P99_MS} ms there.
 */
public final class HalfPeak {

  static final double TARGET_P99_MS = 20;
  static final String SYSTEM = "credits wallet";
  static final String SCENARIO = "half of a's peak, open loop, 1 hot wallet";

  private HalfPeak() {}

  /** The rate to run at and where it comes from, or why h cannot run. */
  public record Plan(double rate, String source, String skipped) {}

  /** --rate wins; else half of a's measured ops/s; else h is skipped. */
  static Plan plan(int rateOption, Row a) {
    if (rateOption > 0) return new Plan(rateOption, "--rate " + rateOption, null);
    if (a != null && a.isMeasured()) {
      return new Plan(a.opsPerSec() / 2, "50% of a's " + Report.ops(a.opsPerSec()) + " ops/s", null);
    }
    return new Plan(0, null, "a was not measured and no --rate was given: nothing to take half of");
  }

  /** Enough workers that the client adds no queueing: a stall of a few hundred ms is absorbed. */
  static int connections(int concurrency) {
    return Math.max(64, 4 * concurrency);
  }

  static Row row(Plan plan, OpenLoop.Outcome o, ServerCpu.Usage cpu, int connections) {
    List<String> notes = new ArrayList<>();
    notes.add("due " + Report.ops(plan.rate()) + "/s (" + plan.source() + ")");
    notes.add("p99.9 " + Report.ms(o.percentileMs(99.9)) + " ms");
    notes.add("latency from the due time; Java client on one thread, " + connections + " connections");
    if (o.maxBacklog() > 0) {
      notes.add("up to " + o.maxBacklog() + " requests waited for a connection (all " + connections + " busy)");
    }
    if (o.errors() > 0) {
      notes.add(o.errors() + " of " + (o.ok() + o.errors()) + " failed, first: "
          + WalletScenarios.abbreviate(String.valueOf(o.firstError())));
    }
    if (o.ok() == 0) return Row.failed("h", SYSTEM, SCENARIO, "no successful op; " + String.join("; ", notes));
    return new Row("h", SYSTEM, SCENARIO, o.achievedRate(), o.percentileMs(50), o.percentileMs(99),
        o.clientCpuCores(), Double.NaN, Double.NaN, String.join("; ", notes), null).withServerCpu(cpu);
  }

  /** "p99 at half of peak <= 20 ms: met (p99 12.30 ms at 1,200/s; p50 ..., p99.9 ...)", or why n/a. */
  static String target(Row h) {
    String what = "p99 of a single reservation at half of peak <= " + Report.ms(TARGET_P99_MS) + " ms";
    if (h == null) return what + ": n/a (h did not run)";
    if (!h.isMeasured()) return what + ": n/a (h " + (h.skipped() == null ? "failed" : h.skipped()) + ")";
    return what + ": " + (h.p99Ms() <= TARGET_P99_MS ? "met" : "NOT met") + String.format(Locale.ROOT,
        " (p99 %s ms, p50 %s ms at %s/s)", Report.ms(h.p99Ms()), Report.ms(h.p50Ms()), Report.ops(h.opsPerSec()));
  }
}
