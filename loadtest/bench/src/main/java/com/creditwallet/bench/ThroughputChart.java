package com.creditwallet.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The throughput bar chart (PNG) of the measured rows, one colour per system.
 *
 * <p>Why it exists: the comparison is about orders of magnitude between designs; a picture
 * in the report shows them at a glance next to the exact figures of the table.
 */
public final class ThroughputChart {

  static final Map<String, String> SHORT = Map.ofEntries(
      Map.entry("a", "a. ours, 1 hot wallet"),
      Map.entry("b", "b. ours, 1,000 wallets"),
      Map.entry("c", "c. ours, batch items"),
      Map.entry("d", "d. Cassandra raw insert"),
      Map.entry("d2", "d2. Cassandra, batch items' rows only"),
      Map.entry("e1", "e1. PostgreSQL hot row"),
      Map.entry("e2", "e2. PostgreSQL 1,000 rows"),
      Map.entry("f1", "f1. Redis AOF always"),
      Map.entry("f2", "f2. Redis AOF everysec"),
      Map.entry("w", "w. ours, first 30 s after ready"),
      Map.entry("m1", "m1. ours, wallets created"),
      Map.entry("m2", "m2. ours, 1 reservation per wallet"));

  private ThroughputChart() {}

  /** The colour group of a row: our service, its store, PostgreSQL or Redis. */
  static String group(Row r) {
    return switch (r.id().substring(0, 1)) {
      case "a", "b", "c", "w", "h", "m" -> "credits wallet (HTTP)";
      case "d" -> "Cassandra, raw inserts";
      case "e" -> "PostgreSQL";
      case "f" -> "Redis";
      default -> r.system();
    };
  }

  /** h's rate is set by the bench (half of a), so it has no place in a throughput comparison. */
  static boolean charted(Row r) {
    return r.isMeasured() && !r.id().equals("h");
  }

  public static void write(List<Row> rows, int concurrency, Path png) throws IOException {
    List<Row> measured = rows.stream().filter(ThroughputChart::charted).toList();
    List<String> labels = new ArrayList<>();
    for (Row r : measured) labels.add(SHORT.getOrDefault(r.id(), r.id() + ". " + r.label()));
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (Row r : measured) series.computeIfAbsent(group(r), g -> new ArrayList<>());
    for (Row r : measured) {
      for (Map.Entry<String, List<Double>> s : series.entrySet()) {
        s.getValue().add(s.getKey().equals(group(r)) ? r.opsPerSec() : null);
      }
    }
    List<String> skipped = rows.stream().filter(r -> !r.isMeasured()).map(Row::id).toList();
    CategoryChart chart = new CategoryChartBuilder()
        .width(1200).height(700)
        .title("Throughput, " + concurrency + " concurrent clients each (ops/s, higher is better)"
            + (skipped.isEmpty() ? "" : "; not measured: " + String.join(", ", skipped)))
        .xAxisTitle("")
        .yAxisTitle("ops/s")
        .build();
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setLabelsVisible(true);
    // At the top of the bars in black: small bars (a single wallet next to Redis) stay readable.
    chart.getStyler().setLabelsPosition(1.0);
    chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
    chart.getStyler().setLabelsFontColor(Color.BLACK);
    chart.getStyler().setDecimalPattern("#,##0");
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    chart.getStyler().setXAxisLabelRotation(20);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    chart.getStyler().setSeriesColors(new Color[] {
        new Color(0x1f, 0x77, 0xb4), new Color(0x7f, 0x7f, 0x7f), new Color(0x2c, 0xa0, 0x2c), new Color(0xd6, 0x27, 0x28)});
    if (labels.isEmpty()) {
      labels.add("nothing measured");
      series.put("none", new ArrayList<>(List.of(0.0)));
    }
    for (Map.Entry<String, List<Double>> s : series.entrySet()) chart.addSeries(s.getKey(), labels, s.getValue());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
