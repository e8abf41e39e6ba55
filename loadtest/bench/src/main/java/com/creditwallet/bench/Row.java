package com.creditwallet.bench;

/**
 * One line of the comparison: a system and scenario with its throughput and latencies, or the
 * reason it was skipped.
 *
 * <p>Why it exists: measurements come from four very different tools (our Java load generator,
 * the DataStax driver, pgbench, redis-benchmark); one plain record lets the table, the ratios,
 * the report and the chart treat them alike.
 *
 * @param id short stable key used by the ratios ("a", "b", "c", "d", "e1", "e2", "f1", "f2", "w", "h",
 *     "m1", "m2")
 * @param opsPerSec operations per second in the measured window (batch: items per second)
 * @param clientCpuCores CPU the load generator itself used, in cores (NaN when unknown)
 * @param nodeCpuCores CPU of the wallet node's JVM over the measured window, in cores (NaN: not ours
 *     or unknown)
 * @param cassandraCpuCores CPU of the local Cassandra's JVM over the same window (NaN likewise)
 * @param note anything a reader must know to read the figures (errors, units), may be empty
 * @param skipped "skipped: why" or "failed: why" when the row has no figures, or null
 */
public record Row(String id, String system, String scenario, double opsPerSec, double p50Ms, double p99Ms,
                  double clientCpuCores, double nodeCpuCores, double cassandraCpuCores, String note,
                  String skipped) {

  public Row {
    note = note == null ? "" : note;
  }

  public static Row measured(String id, String system, String scenario, double opsPerSec, double p50Ms,
                             double p99Ms, double clientCpuCores, String note) {
    return new Row(id, system, scenario, opsPerSec, p50Ms, p99Ms, clientCpuCores, Double.NaN, Double.NaN, note, null);
  }

  /** This row with the node's and Cassandra's CPU over its window. */
  public Row withServerCpu(ServerCpu.Usage cpu) {
    return new Row(id, system, scenario, opsPerSec, p50Ms, p99Ms, clientCpuCores, cpu.nodeCores(), cpu.cassandraCores(),
        note, skipped);
  }

  /** Not run: its system is missing or the user left it out. */
  public static Row skipped(String id, String system, String scenario, String why) {
    return new Row(id, system, scenario, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "",
        "skipped: " + why);
  }

  /** Run, but it broke; {@code why} is one line. */
  public static Row failed(String id, String system, String scenario, String why) {
    return new Row(id, system, scenario, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "",
        "failed: " + why);
  }

  public boolean isMeasured() {
    return skipped == null && opsPerSec > 0 && !Double.isNaN(opsPerSec);
  }

  /** "system: scenario", the label of the row in the chart. */
  public String label() {
    return system + ": " + scenario;
  }
}
