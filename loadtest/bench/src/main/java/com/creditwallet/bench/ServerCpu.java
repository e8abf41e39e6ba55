package com.creditwallet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CPU that the wallet node's JVM and its Cassandra's JVM used over a measured window, in
 * cores, from utime + stime in {@code /proc/<pid>/stat} (all threads of the process).
 *
 * <p>Why it exists: on 2 cores the load generator, the node and Cassandra share the CPUs, so a
 * throughput figure alone cannot tell whether a change made each operation cheaper or only took
 * CPU from a neighbour. CPU time per operation, node and store apart, is the figure that carries
 * over to a bigger machine. Off Linux (no /proc) every figure is NaN and printed as "-".
 */
public final class ServerCpu {

  /** What both counters read at one instant; a pid of -1 or an unreadable stat reads as -1. */
  public record Mark(long nanos, long nodeTicks, long cassandraTicks) {}

  /** Cores used over a window (CPU seconds / wall seconds); NaN where unknown. */
  public record Usage(double nodeCores, double cassandraCores) {
    public static final Usage UNKNOWN = new Usage(Double.NaN, Double.NaN);
  }

  private static final ServerCpu NONE = new ServerCpu(-1, -1, 100);

  private final long nodePid;
  private final long cassandraPid;
  private final double ticksPerSecond;

  ServerCpu(long nodePid, long cassandraPid, double ticksPerSecond) {
    this.nodePid = nodePid;
    this.cassandraPid = cassandraPid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** For the two JVMs' pids (-1 where unknown). */
  public static ServerCpu of(long nodePid, long cassandraPid) {
    return new ServerCpu(nodePid, cassandraPid, clockTicks());
  }

  /** Measures nothing (every usage is NaN): no service runs. */
  public static ServerCpu none() {
    return NONE;
  }

  public Mark mark() {
    return new Mark(System.nanoTime(), ticks(nodePid), ticks(cassandraPid));
  }

  /** Cores used from {@code start} to now. */
  public Usage since(Mark start) {
    return between(start, mark());
  }

  /** Cores used between two marks. */
  public Usage between(Mark start, Mark end) {
    double seconds = (end.nanos() - start.nanos()) / 1e9;
    return new Usage(cores(start.nodeTicks(), end.nodeTicks(), seconds),
        cores(start.cassandraTicks(), end.cassandraTicks(), seconds));
  }

  private double cores(long from, long to, double seconds) {
    if (from < 0 || to < 0 || seconds <= 0) return Double.NaN;
    return (to - from) / ticksPerSecond / seconds;
  }

  private static long ticks(long pid) {
    if (pid < 0) return -1;
    try {
      return statTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field
   * 2, in parentheses) may itself hold spaces and parentheses, so fields are counted after the
   * last ')'.
   */
  static long statTicks(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 1).trim();
    String[] f = rest.split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
  }

  /** The kernel's clock ticks per second (USER_HZ, almost always 100). */
  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return Double.parseDouble(out);
    } catch (IOException | RuntimeException e) {
      // not there: the usual value
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
