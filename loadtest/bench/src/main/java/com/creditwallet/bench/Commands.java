package com.creditwallet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs external programs (initdb, pgbench, redis-benchmark, apt-get ...) with a time limit,
 * their output in files, and optionally the CPU time they used.
 *
 * <p>Why it exists: every external step must be bounded in time and must not be left running
 * when the bench stops; and the client CPU of pgbench and redis-benchmark is part of an honest
 * comparison with our own Java load generator, so it is measured the same way for all.
 */
public final class Commands {

  /** What a finished command left: exit code, its output, and its CPU seconds (NaN unknown). */
  public record Result(int exitCode, String stdout, String stderr, double cpuSeconds) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of stderr then stdout, for error messages. */
    public String tail() {
      String all = (stderr.strip() + "\n" + stdout.strip()).strip();
      String[] lines = all.split("\n");
      int from = Math.max(0, lines.length - 12);
      return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
  }

  private final Path logDir;
  private final Cleanup cleanup;
  private int counter;

  public Commands(Path logDir, Cleanup cleanup) {
    this.logDir = logDir;
    this.cleanup = cleanup;
  }

  /** Whether we run as root (then PostgreSQL must run as user postgres, and apt-get works). */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The first of {@code candidates} that is an executable file, or null. */
  public static Path executable(String... candidates) {
    for (String c : candidates) {
      if (c.contains("/")) {
        Path p = Path.of(c);
        if (Files.isExecutable(p)) return p;
        continue;
      }
      String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
      for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
        if (dir.isEmpty()) continue;
        Path p = Path.of(dir, c);
        if (Files.isExecutable(p)) return p;
      }
    }
    return null;
  }

  /** Runs {@code command} to its end or until {@code timeoutSeconds}, then kills it. */
  public Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    return run(command, timeoutSeconds, Map.of(), null, false);
  }

  /** Runs a command that stops something: allowed (and bounded) while the bench is stopping. */
  public Result runForStop(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    return run(command, timeoutSeconds, Map.of(), null, false, true);
  }

  public Result run(List<String> command, long timeoutSeconds, Map<String, String> env, Path workDir,
                    boolean measureCpu) throws IOException, InterruptedException {
    return run(command, timeoutSeconds, env, workDir, measureCpu, false);
  }

  /**
   * Runs {@code command}. With {@code measureCpu} it runs under bash, whose {@code times}
   * builtin then reports the user+system CPU the command and its children used.
   */
  private Result run(List<String> command, long timeoutSeconds, Map<String, String> env, Path workDir,
                     boolean measureCpu, boolean forStop) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (measureCpu) {
      cmd.addAll(List.of("bash", "-c", "\"$@\"; rc=$?; times >&2; exit $rc", "bash"));
    }
    cmd.addAll(command);
    int n;
    synchronized (this) {
      n = ++counter;
    }
    String name = String.format("%03d-%s", n, Path.of(command.get(0)).getFileName());
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    if (workDir != null) pb.directory(workDir.toFile());
    pb.environment().putAll(env);
    if (!forStop) cleanup.checkNotStopping();
    Process p = pb.start();
    String key = "command " + name + " (pid " + p.pid() + ")";
    if (!forStop) cleanup.add(key, () -> kill(p));
    boolean done;
    try {
      done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } finally {
      if (forStop) kill(p);
      else cleanup.runNow(key); // kills it if still running (timeout, or we were interrupted)
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    if (!done) {
      return new Result(124, stdout, stderr + "\n(killed after " + timeoutSeconds + " s)", Double.NaN);
    }
    double cpu = Double.NaN;
    if (measureCpu) {
      cpu = childCpuSeconds(stderr);
    }
    return new Result(p.exitValue(), stdout, stderr, cpu);
  }

  /** Ends a process and everything it started: SIGTERM, then SIGKILL after 10 s. */
  public static void kill(Process p) throws InterruptedException {
    kill(p.toHandle());
  }

  public static void kill(ProcessHandle h) throws InterruptedException {
    if (!h.isAlive()) return;
    List<ProcessHandle> family = new ArrayList<>(h.descendants().toList());
    h.destroy();
    for (ProcessHandle d : family) d.destroy();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until && (h.isAlive() || family.stream().anyMatch(ProcessHandle::isAlive))) {
      Thread.sleep(100);
    }
    if (h.isAlive()) h.destroyForcibly();
    for (ProcessHandle d : family) if (d.isAlive()) d.destroyForcibly();
  }

  private static final Pattern TIME = Pattern.compile("(\\d+)m([0-9.]+)s");

  /** The children's user + system seconds from the two lines bash's {@code times} prints. */
  static double childCpuSeconds(String stderr) {
    String[] lines = stderr.strip().split("\n");
    if (lines.length < 2) return Double.NaN;
    Matcher m = TIME.matcher(lines[lines.length - 1]);
    double total = 0;
    int found = 0;
    while (m.find()) {
      total += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
      found++;
    }
    return found == 2 ? total : Double.NaN;
  }
}
