package com.creditwallet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario f: Redis (Debian's {@code redis-server}) with AOF on and no RDB saves, once with
 * {@code appendfsync always} (durable per write, group-committed) and once with
 * {@code everysec}, measured with redis-benchmark running the Lua check-and-decrement of
 * the usual way, on one hot key.
 *
 * <p>Why it exists: an in-memory counter with an fsynced log is the fastest plausible
 * durable design for a credit counter; it bounds from above what any wallet store can do on
 * this machine. redis-benchmark counts requests, not seconds, so a short probe sizes the runs
 * to last about the asked durations.
 */
public final class RedisBench {

  static final String PACKAGE = "redis-server";
  static final String SCRIPT = "local b = tonumber(redis.call('GET', KEYS[1])) if b >= 1 then "
      + "return redis.call('DECRBY', KEYS[1], 1) end return -1";

  private RedisBench() {}

  /** Why Redis cannot run here, or null when it can. */
  public static String unavailable() {
    if (Commands.executable("redis-server") == null) return "redis-server not found";
    if (Commands.executable("redis-benchmark") == null) return "redis-benchmark not found";
    return null;
  }

  public static List<Row> run(Path workDir, BenchOptions options, Commands commands, Cleanup cleanup)
      throws IOException, InterruptedException {
    List<Row> rows = new ArrayList<>();
    rows.add(mode("f1", "always", workDir, options, commands, cleanup));
    rows.add(mode("f2", "everysec", workDir, options, commands, cleanup));
    return rows;
  }

  private static Row mode(String id, String fsync, Path workDir, BenchOptions options, Commands commands,
                          Cleanup cleanup) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(workDir.resolve("redis-" + fsync));
    int port = options.redisPort();
    String label = id + ". Redis, AOF " + fsync;
    Log.line(label + ": starting redis-server on 127.0.0.1:" + port + " ...");
    cleanup.checkNotStopping();
    Process server = new ProcessBuilder(Commands.executable("redis-server").toString(),
        "--port", "" + port, "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--appendonly", "yes", "--appendfsync", fsync, "--save", "",
        "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    String key = "Redis (" + fsync + ", pid " + server.pid() + ")";
    cleanup.add(key, () -> {
      if (server.isAlive()) Log.line("stopping Redis (" + fsync + ") ...");
      Commands.kill(server);
    });
    try {
      waitForPort(port, server, dir);
      Path cli = Commands.executable("redis-cli");
      if (cli != null) {
        PostgresBench.check(commands.run(List.of(cli.toString(), "-p", "" + port, "SET", "hot", "1000000000000000"), 30),
            "redis-cli SET");
      }
      // Sizes the runs: redis-benchmark takes a request count, not a duration.
      Result probe = benchmark(20_000, options, commands, 120);
      long warmN = (long) (probe.rps * options.nativeWarmup());
      if (warmN > 0) {
        Log.line(label + ": warm-up about " + options.nativeWarmup() + " s ...");
        benchmark(warmN, options, commands, options.nativeWarmup() * 3L + 60);
      }
      long n = Math.max(10_000, (long) (probe.rps * options.seconds()));
      Log.line(label + ": measuring about " + options.seconds() + " s (" + Report.ops(n) + " requests) ...");
      Result r = benchmark(n, options, commands, options.seconds() * 3L + 60);
      Log.line(label + ": " + Report.ops(r.rps) + " ops/s");
      return Row.measured(id, "Redis " + serverVersion(commands),
          "Lua check-and-decrement, AOF " + fsync, r.rps, r.p50Ms, r.p99Ms, r.cpuCores,
          "everysec".equals(fsync) ? "may lose the last second" : "fsync before reply");
    } finally {
      cleanup.runNow(key);
    }
  }

  private record Result(double rps, double p50Ms, double p99Ms, double cpuCores) {}

  private static Result benchmark(long requests, BenchOptions options, Commands commands, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> cmd = List.of(Commands.executable("redis-benchmark").toString(), "-h", "127.0.0.1",
        "-p", "" + options.redisPort(), "-c", "" + options.concurrency(), "-n", "" + requests, "--csv",
        "EVAL", SCRIPT, "1", "hot");
    long t0 = System.nanoTime();
    Commands.Result r = commands.run(cmd, timeoutSeconds, Map.of(), null, true);
    double wall = (System.nanoTime() - t0) / 1e9;
    PostgresBench.check(r, "redis-benchmark");
    double[] v = csv(r.stdout());
    return new Result(v[0], v[1], v[2], r.cpuSeconds() / wall);
  }

  private static final Pattern QUOTED_NUMBER = Pattern.compile("\"([0-9]+(?:\\.[0-9]+)?)\"");

  /**
   * {rps, p50 ms, p99 ms} from redis-benchmark's CSV line
   * {@code "test","rps","avg","min","p50","p95","p99","max"}: the test name may itself contain
   * commas and quotes, so the 7 numbers are taken from the end of the last line.
   */
  static double[] csv(String stdout) {
    String[] lines = stdout.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher m = QUOTED_NUMBER.matcher(lines[i]);
      List<Double> numbers = new ArrayList<>();
      while (m.find()) numbers.add(Double.parseDouble(m.group(1)));
      if (numbers.size() >= 7 && !lines[i].contains("\"rps\"")) {
        int k = numbers.size() - 7;
        return new double[] {numbers.get(k), numbers.get(k + 3), numbers.get(k + 5)};
      }
    }
    throw new IllegalStateException("no result line in redis-benchmark's output:\n" + stdout);
  }

  private static String serverVersion(Commands commands) {
    try {
      Commands.Result r = commands.run(List.of(Commands.executable("redis-server").toString(), "--version"), 10);
      Matcher m = Pattern.compile("v=([0-9.]+)").matcher(r.stdout());
      return m.find() ? m.group(1) : "";
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static void waitForPort(int port, Process server, Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + server.exitValue() + "; see " + dir);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port + " within 30 s; see " + dir);
  }
}
