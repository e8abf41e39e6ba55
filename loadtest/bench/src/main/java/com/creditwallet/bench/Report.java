package com.creditwallet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Formats the rows as the console table and as report.md, and computes the ratios the
 * comparison is about.
 *
 * <p>Why it exists: the figures are only useful side by side and with the conditions they were
 * taken under (machine, warm-up, durability of each system); keeping the formatting pure and
 * separate from the measuring makes it testable without running anything.
 */
public final class Report {

  /** A ratio between two rows: numerator ops/s over denominator ops/s. */
  public record Ratio(String label, String numeratorId, String denominatorId) {}

  /** The ratios printed under the table, in order. */
  public static final List<Ratio> RATIOS = List.of(
      new Ratio("ours, one hot wallet vs PostgreSQL, hot row", "a", "e1"),
      new Ratio("ours, 1,000 wallets vs PostgreSQL, 1,000 rows", "b", "e2"),
      new Ratio("ours, batch items vs Redis, AOF always", "c", "f1"),
      new Ratio("ours, 1,000 wallets vs raw Cassandra inserts (store ceiling)", "b", "d"),
      new Ratio("ours, batch items vs raw Cassandra inserts (store ceiling)", "c", "d"),
      new Ratio("ours, batch items vs Cassandra writing only their rows", "c", "d2"),
      new Ratio("ours, first 30 s after ready vs warm hot wallet (a)", "w", "a"));

  /**
   * Everything around the table that report.md states: {@code nodeWarmup} says what the node did
   * before it reported ready, {@code targets} the issue's targets met or not, {@code sections} the
   * detail of w, h and m.
   */
  public record Context(String date, String command, String machine, String warmupStatement, String nodeWarmup,
                        int concurrency, int seconds, int phaseWarmup, List<String> targets,
                        List<Section> sections, List<String> notes) {}

  /** A part of the report under the table: its title, its lines for the console, its Markdown. */
  public record Section(String title, List<String> console, String markdown) {}

  private Report() {}

  /** numerator / denominator ops/s, empty when either row is missing or was not measured. */
  public static OptionalDouble ratio(List<Row> rows, String numeratorId, String denominatorId) {
    Optional<Row> n = find(rows, numeratorId);
    Optional<Row> d = find(rows, denominatorId);
    if (n.isEmpty() || d.isEmpty() || !n.get().isMeasured() || !d.get().isMeasured()) return OptionalDouble.empty();
    return OptionalDouble.of(n.get().opsPerSec() / d.get().opsPerSec());
  }

  /**
   * One line per ratio: "label: 1.23x (a 2,345 / e1 1,906 ops/s)" or why it is missing; a ratio
   * neither of whose rows is in the run at all (e.g. {@code --only m}) is left out.
   */
  public static List<String> ratioLines(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Ratio r : RATIOS) {
      if (find(rows, r.numeratorId()).isEmpty() && find(rows, r.denominatorId()).isEmpty()) continue;
      OptionalDouble v = ratio(rows, r.numeratorId(), r.denominatorId());
      if (v.isPresent()) {
        lines.add(r.label() + ": " + times(v.getAsDouble()) + " (" + r.numeratorId() + " "
            + ops(find(rows, r.numeratorId()).orElseThrow().opsPerSec()) + " / " + r.denominatorId() + " "
            + ops(find(rows, r.denominatorId()).orElseThrow().opsPerSec()) + " ops/s)");
      } else {
        lines.add(r.label() + ": n/a (" + missing(rows, r) + " not measured)");
      }
    }
    return lines;
  }

  /**
   * The issue's comparative targets, met or not: one hot wallet at least 3x PostgreSQL's hot row
   * with p99 under 50 ms, 1,000 wallets at least PostgreSQL's 1,000 rows, batch items at least
   * durable Redis. Only those whose rows were both measured.
   */
  public static List<String> comparisonTargets(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    OptionalDouble hot = ratio(rows, "a", "e1");
    if (hot.isPresent()) {
      double p99 = find(rows, "a").orElseThrow().p99Ms();
      boolean met = hot.getAsDouble() >= 3 && p99 < 50;
      lines.add("one hot wallet >= 3x PostgreSQL's hot row with p99 < 50 ms: " + (met ? "met" : "NOT met") + " ("
          + times(hot.getAsDouble()) + ", p99 " + ms(p99) + " ms)");
    }
    OptionalDouble spread = ratio(rows, "b", "e2");
    if (spread.isPresent()) {
      lines.add("1,000 wallets >= PostgreSQL's 1,000 rows: " + (spread.getAsDouble() >= 1 ? "met" : "NOT met") + " ("
          + times(spread.getAsDouble()) + ")");
    }
    OptionalDouble batch = ratio(rows, "c", "f1");
    if (batch.isPresent()) {
      lines.add("batch items >= Redis, AOF always: " + (batch.getAsDouble() >= 1 ? "met" : "NOT met") + " ("
          + times(batch.getAsDouble()) + ")");
    }
    return lines;
  }

  private static String missing(List<Row> rows, Ratio r) {
    List<String> ids = new ArrayList<>();
    for (String id : List.of(r.numeratorId(), r.denominatorId())) {
      if (find(rows, id).map(x -> !x.isMeasured()).orElse(true)) ids.add(id);
    }
    return String.join(" and ", ids);
  }

  static Optional<Row> find(List<Row> rows, String id) {
    return rows.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  static final List<String> HEADER = List.of("#", "system", "scenario", "ops/s", "p50 ms", "p99 ms", "client CPU",
      "node CPU", "Cassandra CPU", "notes");

  /** Columns from "ops/s" to "Cassandra CPU" hold numbers, right-aligned. */
  private static boolean numeric(int column) {
    return column >= 3 && column <= 8;
  }

  static List<String> cells(Row r) {
    if (!r.isMeasured()) {
      String why = r.skipped() != null ? r.skipped() : "no result" + (r.note().isEmpty() ? "" : ": " + r.note());
      return List.of(r.id(), r.system(), r.scenario(), "-", "-", "-", "-", "-", "-", why);
    }
    String perOp = cpuPerOp(r);
    String note = perOp.isEmpty() ? r.note() : r.note().isEmpty() ? perOp : r.note() + "; " + perOp;
    return List.of(r.id(), r.system(), r.scenario(), ops(r.opsPerSec()), ms(r.p50Ms()), ms(r.p99Ms()),
        cores(r.clientCpuCores()), cores(r.nodeCpuCores()), cores(r.cassandraCpuCores()), note);
  }

  /**
   * "CPU per op: node 0.41 ms, Cassandra 0.30 ms" (cores x 1000 / ops/s), or "" without
   * server CPU figures: on 2 shared cores this, not ops/s, is what carries over to other machines.
   */
  static String cpuPerOp(Row r) {
    List<String> parts = new ArrayList<>();
    if (!Double.isNaN(r.nodeCpuCores())) parts.add("node " + msPerOp(r.nodeCpuCores(), r.opsPerSec()));
    if (!Double.isNaN(r.cassandraCpuCores())) parts.add("Cassandra " + msPerOp(r.cassandraCpuCores(), r.opsPerSec()));
    return parts.isEmpty() ? "" : "CPU per op: " + String.join(", ", parts);
  }

  private static String msPerOp(double cores, double opsPerSec) {
    return String.format(Locale.ROOT, "%.3f ms", cores * 1000 / opsPerSec);
  }

  /** The console table: aligned columns, numbers right-aligned. */
  public static String table(List<Row> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(HEADER);
    for (Row r : rows) all.add(cells(r));
    int[] width = new int[HEADER.size()];
    for (List<String> line : all) {
      for (int i = 0; i < line.size(); i++) width[i] = Math.max(width[i], line.get(i).length());
    }
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < all.size(); n++) {
      List<String> line = all.get(n);
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        boolean right = numeric(i);
        String cell = line.get(i);
        if (i == line.size() - 1) {
          l.append(cell);
        } else {
          l.append(right ? pad(cell, width[i], true) : pad(cell, width[i], false)).append("  ");
        }
      }
      sb.append(l.toString().stripTrailing()).append('\n');
      if (n == 0) {
        int total = 0;
        for (int w : width) total += w + 2;
        sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
      }
    }
    return sb.toString();
  }

  /** The same table in Markdown. */
  public static String markdownTable(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      List<String> c = new ArrayList<>();
      for (String cell : cells(r)) c.add(cell.replace("|", "\\|"));
      sb.append("| ").append(String.join(" | ", c)).append(" |\n");
    }
    return sb.toString();
  }

  /** report.md. */
  public static String markdown(List<Row> rows, Context ctx) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Credits wallet: throughput against its store, PostgreSQL and Redis\n\n");
    sb.append("- date: ").append(ctx.date()).append('\n');
    sb.append("- command: `").append(ctx.command()).append("`\n");
    sb.append("- machine: ").append(ctx.machine()).append('\n');
    sb.append("- clients: ").append(ctx.concurrency()).append(" concurrent for every system; ")
        .append(ctx.seconds()).append(" s measured after ").append(ctx.phaseWarmup())
        .append(" s unmeasured per scenario (PostgreSQL and Redis: at most ")
        .append(BenchOptions.NATIVE_WARMUP_SECONDS).append(" s)\n");
    sb.append("- node warm-up before ready: ").append(ctx.nodeWarmup()).append('\n');
    sb.append("- local Cassandra commit log: ").append(BenchMain.commitlogSync())
        .append(" (WALLET_CASSANDRA_COMMITLOG_SYNC)\n");
    sb.append("- ").append(ctx.warmupStatement()).append("\n\n");
    sb.append(markdownTable(rows)).append('\n');
    sb.append("## Ratios (throughput)\n\n");
    for (String line : ratioLines(rows)) sb.append("- ").append(line).append('\n');
    if (!ctx.targets().isEmpty()) {
      sb.append("\n## Targets\n\n");
      for (String line : ctx.targets()) sb.append("- ").append(line).append('\n');
    }
    for (Section section : ctx.sections()) {
      sb.append("\n## ").append(section.title()).append("\n\n").append(section.markdown().strip()).append('\n');
    }
    if (!ctx.notes().isEmpty()) {
      sb.append("\n## How to read it\n\n");
      for (String note : ctx.notes()) sb.append("- ").append(note).append('\n');
    }
    sb.append("\n![throughput](throughput.png)\n");
    return sb.toString();
  }

  static String pad(String s, int width, boolean right) {
    if (s.length() >= width) return s;
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }

  public static String ops(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  public static String ms(double v) {
    if (Double.isNaN(v)) return "-";
    return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.2f", v);
  }

  public static String cores(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f cores", v);
  }

  public static String times(double v) {
    return String.format(Locale.ROOT, v >= 10 ? "%.1fx" : "%.2fx", v);
  }
}
