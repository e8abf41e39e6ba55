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
      new Ratio("ours, batch items vs raw Cassandra inserts (store ceiling)", "c", "d"));

  /** Everything around the table that report.md states. */
  public record Context(String date, String command, String machine, String warmupStatement,
                        int concurrency, int seconds, int phaseWarmup, List<String> notes) {}

  private Report() {}

  /** numerator / denominator ops/s, empty when either row is missing or was not measured. */
  public static OptionalDouble ratio(List<Row> rows, String numeratorId, String denominatorId) {
    Optional<Row> n = find(rows, numeratorId);
    Optional<Row> d = find(rows, denominatorId);
    if (n.isEmpty() || d.isEmpty() || !n.get().isMeasured() || !d.get().isMeasured()) return OptionalDouble.empty();
    return OptionalDouble.of(n.get().opsPerSec() / d.get().opsPerSec());
  }

  /** One line per ratio: "label: 1.23x (a 2,345 / e1 1,906 ops/s)" or why it is missing. */
  public static List<String> ratioLines(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Ratio r : RATIOS) {
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

  static final List<String> HEADER =
      List.of("#", "system", "scenario", "ops/s", "p50 ms", "p99 ms", "client CPU", "notes");

  static List<String> cells(Row r) {
    if (!r.isMeasured()) {
      String why = r.skipped() != null ? r.skipped() : "no result" + (r.note().isEmpty() ? "" : ": " + r.note());
      return List.of(r.id(), r.system(), r.scenario(), "-", "-", "-", "-", why);
    }
    return List.of(r.id(), r.system(), r.scenario(), ops(r.opsPerSec()), ms(r.p50Ms()), ms(r.p99Ms()),
        cores(r.clientCpuCores()), r.note());
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
        boolean right = i >= 3 && i <= 6;
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
    sb.append("|---|---|---|---:|---:|---:|---:|---|\n");
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
        .append(" s unmeasured per scenario\n");
    sb.append("- ").append(ctx.warmupStatement()).append("\n\n");
    sb.append(markdownTable(rows)).append('\n');
    sb.append("## Ratios (throughput)\n\n");
    for (String line : ratioLines(rows)) sb.append("- ").append(line).append('\n');
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

  static String cores(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f cores", v);
  }

  public static String times(double v) {
    return String.format(Locale.ROOT, v >= 10 ? "%.1fx" : "%.2fx", v);
  }
}
