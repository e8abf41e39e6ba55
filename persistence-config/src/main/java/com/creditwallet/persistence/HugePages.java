package com.creditwallet.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether a JVM started here should ask for transparent huge pages
 * ({@code -XX:+UseTransparentHugePages}). On 2 cores the node and Cassandra both spend much of
 * their time allocating and collecting; with 2 MiB pages their heaps need far fewer TLB entries
 * (docs/performance.md, "Transparent huge pages"). Only where the kernel hands them out on request
 * (Linux, {@code madvise} or {@code always}): the flag exists only in Linux JVMs (elsewhere the JVM
 * refuses to start with it), and with {@code never} it only prints a warning.
 */
public final class HugePages {
  /** The kernel's setting: the active choice is the one in brackets, e.g. {@code always [madvise] never}. */
  static final Path THP_ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
  static final String OPTION = "-XX:+UseTransparentHugePages";

  private HugePages() {}

  /** The JVM option for this machine: one element, or none. */
  public static List<String> jvmOptions() {
    return jvmOptions(System.getProperty("os.name", ""), readSetting());
  }

  static List<String> jvmOptions(String osName, String thpSetting) {
    boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
    boolean offered = thpSetting != null && (thpSetting.contains("[madvise]") || thpSetting.contains("[always]"));
    return linux && offered ? List.of(OPTION) : List.of();
  }

  private static String readSetting() {
    try {
      return Files.isReadable(THP_ENABLED) ? Files.readString(THP_ENABLED) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
