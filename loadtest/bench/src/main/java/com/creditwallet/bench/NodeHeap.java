package com.creditwallet.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wallet node's Java heap, seen from outside: {@code jstat -gc} every few seconds (it reads
 * the JVM's shared performance counters, so sampling does not stop the node), and at the end
 * {@code jcmd GC.run} then {@code jcmd GC.heap_info} for the live set.
 *
 * <p>Why it exists: a node that touches a million wallets must passivate them, or its heap grows
 * with every wallet it has ever seen until it runs out. Whether it did is only visible in the
 * node's own heap over the run; the bench watches it without changing the node. The tools come
 * from the JDK that runs the bench, the same {@code java} that {@code bin/wallet} starts the node
 * with.
 */
public final class NodeHeap {

  /** One jstat sample, in bytes, plus the number of full collections so far. */
  public record Sample(long used, long committed, long oldUsed, long fullGcs) {}

  /** What the run saw: maxima of the samples, full GCs during it, and the live set at the end (-1 unknown). */
  public record Summary(int samples, long maxUsed, long maxCommitted, long maxOldUsed, long fullGcs, long liveAfterFullGc,
                        long maxHeap, String problem) {}

  private final long pid;
  private final Commands commands;
  private final Path jstat;
  private final Path jcmd;
  private volatile boolean stop;
  private Thread thread;
  private int samples;
  private long maxUsed = -1, maxCommitted = -1, maxOldUsed = -1, firstFullGcs = -1, lastFullGcs = -1;
  private String problem;

  public NodeHeap(long pid, Commands commands) {
    this.pid = pid;
    this.commands = commands;
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    this.jstat = Commands.executable(bin.resolve("jstat").toString(), "jstat");
    this.jcmd = Commands.executable(bin.resolve("jcmd").toString(), "jcmd");
  }

  /** Why the heap cannot be watched here, or null. */
  public String unavailable() {
    if (jstat == null || jcmd == null) return "jstat/jcmd not found (a JDK, not only a JRE, is needed)";
    return null;
  }

  /** Samples every {@code seconds} s on a thread of its own until {@link #stop()}. */
  public void start(int seconds) {
    thread = new Thread(() -> {
      while (!stop) {
        sample();
        try {
          Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "node-heap");
    thread.setDaemon(true);
    thread.start();
  }

  /** The latest figures, for progress lines (null before the first sample). */
  public synchronized Sample latest() {
    return latest;
  }

  private Sample latest;

  /** Takes one sample now. */
  public void sample() {
    if (jstat == null) return;
    try {
      Commands.Result r = commands.run(List.of(jstat.toString(), "-gc", Long.toString(pid)), 20);
      if (!r.ok()) {
        noteProblem("jstat: " + r.tail());
        return;
      }
      Sample s = parseJstat(r.stdout());
      synchronized (this) {
        samples++;
        latest = s;
        maxUsed = Math.max(maxUsed, s.used());
        maxCommitted = Math.max(maxCommitted, s.committed());
        maxOldUsed = Math.max(maxOldUsed, s.oldUsed());
        if (firstFullGcs < 0) firstFullGcs = s.fullGcs();
        lastFullGcs = s.fullGcs();
      }
    } catch (Exception e) {
      noteProblem("jstat: " + e.getMessage());
    }
  }

  private synchronized void noteProblem(String p) {
    if (problem == null) problem = p;
  }

  public void stop() throws InterruptedException {
    stop = true;
    if (thread != null) {
      thread.interrupt();
      thread.join(30_000);
    }
  }

  /** Stops sampling, takes a last sample, forces a full GC and reads what is left: the live set. */
  public Summary finish() throws InterruptedException {
    stop();
    sample();
    long live = -1, max = -1;
    if (jcmd != null) {
      try {
        Commands.Result flags = commands.run(List.of(jcmd.toString(), Long.toString(pid), "VM.flags"), 30);
        if (flags.ok()) max = maxHeap(flags.stdout());
        Commands.Result gc = commands.run(List.of(jcmd.toString(), Long.toString(pid), "GC.run"), 120);
        if (!gc.ok()) noteProblem("jcmd GC.run: " + gc.tail());
        Commands.Result info = commands.run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"), 30);
        if (info.ok()) live = heapInfoUsed(info.stdout());
        else noteProblem("jcmd GC.heap_info: " + info.tail());
      } catch (java.io.IOException | RuntimeException e) {
        noteProblem("jcmd: " + e.getMessage());
      }
    }
    synchronized (this) {
      long fullGcs = firstFullGcs < 0 ? -1 : lastFullGcs - firstFullGcs;
      return new Summary(samples, maxUsed, maxCommitted, maxOldUsed, fullGcs, live, max, problem);
    }
  }

  /** Heap figures from {@code jstat -gc} (two lines, sizes in KiB): used = survivors + eden + old. */
  static Sample parseJstat(String out) {
    List<String> lines = out.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.size() < 2) throw new IllegalArgumentException("unexpected jstat output: " + out);
    String[] names = lines.get(0).split("\\s+");
    String[] values = lines.get(lines.size() - 1).split("\\s+");
    if (names.length != values.length) throw new IllegalArgumentException("unexpected jstat output: " + out);
    Map<String, Double> v = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      try {
        v.put(names[i], Double.parseDouble(values[i]));
      } catch (NumberFormatException e) {
        // "-" for a collector that has no such count
      }
    }
    double used = get(v, "S0U") + get(v, "S1U") + get(v, "EU") + get(v, "OU");
    double committed = get(v, "S0C") + get(v, "S1C") + get(v, "EC") + get(v, "OC");
    return new Sample(kib(used), kib(committed), kib(get(v, "OU")), (long) get(v, "FGC"));
  }

  private static double get(Map<String, Double> v, String name) {
    Double d = v.get(name);
    if (d == null) throw new IllegalArgumentException("jstat printed no " + name);
    return d;
  }

  private static long kib(double k) {
    return Math.round(k * 1024);
  }

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  /** "used" of the heap line of {@code jcmd GC.heap_info}, in bytes. */
  static long heapInfoUsed(String out) {
    Matcher m = HEAP_USED.matcher(out);
    if (!m.find()) throw new IllegalArgumentException("no heap line in GC.heap_info: " + out);
    return Long.parseLong(m.group(2)) * 1024;
  }

  private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

  /** The -Xmx in bytes from {@code jcmd VM.flags}, or -1. */
  static long maxHeap(String flags) {
    Matcher m = MAX_HEAP.matcher(flags);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** "812 MiB", "1.25 GiB", "-" for unknown. */
  static String bytes(long b) {
    if (b < 0) return "-";
    if (b >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    return String.format(Locale.ROOT, "%,d MiB", Math.round(b / (double) (1L << 20)));
  }
}
