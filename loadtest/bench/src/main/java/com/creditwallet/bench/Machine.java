package com.creditwallet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One line saying what machine the figures come from: cores, CPU, memory, OS and Java.
 *
 * <p>Why it exists: throughput figures mean nothing without the machine; on 2 cores the load
 * generator, the service and its store all share the same CPUs, and the report must say so.
 */
public final class Machine {
  private Machine() {}

  public static String describe() {
    int cores = Runtime.getRuntime().availableProcessors();
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    String mem = "?";
    if (memKb != null) {
      try {
        mem = String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
      } catch (NumberFormatException ignored) {
        mem = memKb;
      }
    }
    String os = osRelease();
    return cores + " cores" + (cpu == null ? "" : " (" + cpu + ")") + ", " + mem + " memory, " + os
        + " (kernel " + System.getProperty("os.version") + "), Java " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vm.vendor") + ")";
  }

  /** The 1-minute load average, NaN where unknown. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * A warning when other processes already keep the CPUs busy (1-minute load average above
   * half the cores), or null: then every figure is lower than on an idle machine.
   */
  public static String busyWarning(double load) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (Double.isNaN(load) || load <= cores * 0.5) return null;
    return String.format(Locale.ROOT, "the machine was busy before the bench started (1-minute load average %.2f on %d"
        + " cores): other processes competed for the CPUs, so all figures are lower than on an idle machine", load, cores);
  }

  private static String osRelease() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) return line.substring("PRETTY_NAME=".length()).replace("\"", "");
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return System.getProperty("os.name");
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals(key)) return line.substring(colon + 1).strip();
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return null;
  }
}
