package com.creditwallet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the service's HTTP scenarios with wrk (Debian {@code wrk}) and the bench's Lua script,
 * as the figures this bench compares against were measured: {@code wrk -t2 -c16}, one keep-alive connection
 * per client.
 *
 * <p>Why it exists: on 2 cores the load generator shares the CPUs with the node and Cassandra.
 * Side by side on the same node, wrk (2 event-loop threads) reached about three times the rate
 * of a thread-per-connection Java client on a busy machine, so the service's figures come from
 * wrk when it is installed; the Java client ({@link Http1Connection}) is the fallback. The admin
 * key reaches the script through the environment, never the command line.
 */
public final class Wrk {

  static final String PACKAGE = "wrk";

  /** What one wrk run measured: ok ops/s over its duration and its latencies. */
  public record Result(double opsPerSec, double p50Ms, double p99Ms, double cpuCores, long requests, long ok,
                       long failed, String firstError, double seconds) {}

  private final Commands commands;
  private final Path script;
  private final int port;
  private final String key;
  private final int concurrency;

  public Wrk(Commands commands, Path workDir, int port, String key, int concurrency) throws IOException {
    this.commands = commands;
    this.script = workDir.resolve("wallet-load.lua");
    try (InputStream in = Wrk.class.getResourceAsStream("wallet-load.lua")) {
      if (in == null) throw new IOException("wallet-load.lua is missing from the bench jar");
      Files.write(script, in.readAllBytes());
    }
    this.port = port;
    this.key = key;
    this.concurrency = concurrency;
  }

  /** Why wrk cannot run here, or null. */
  public static String unavailable() {
    return Commands.executable("wrk") == null ? "wrk not found" : null;
  }

  /** One run of {@code seconds} in {@code mode} (hot, spread, batch, mixed); {@code run} keeps ids unique. */
  public Result run(String mode, String run, int seconds) throws IOException, InterruptedException {
    return run(mode, run, seconds, null);
  }

  /** The same, with {@code wallet} as the wallet of mode {@code cold} (null for the other modes). */
  public Result run(String mode, String run, int seconds, String wallet) throws IOException, InterruptedException {
    return run(mode, run, seconds, wallet, 0);
  }

  /** The same, each hold with a TTL of {@code ttlSeconds} (0: the service's default, 900 s). */
  public Result run(String mode, String run, int seconds, String wallet, int ttlSeconds)
      throws IOException, InterruptedException {
    int threads = Math.max(1, Math.min(concurrency, Runtime.getRuntime().availableProcessors()));
    List<String> cmd = List.of(Commands.executable("wrk").toString(), "-t" + threads, "-c" + concurrency,
        "-d" + seconds + "s", "--timeout", "30s", "-s", script.toString(), "http://127.0.0.1:" + port);
    Map<String, String> env = new HashMap<>();
    env.put("WALLET_BENCH_MODE", mode);
    env.put("WALLET_BENCH_RUN", run);
    env.put("WALLET_BENCH_KEY", key);
    if (wallet != null) env.put("WALLET_BENCH_WALLET", wallet);
    if (ttlSeconds > 0) env.put("WALLET_BENCH_TTL", Integer.toString(ttlSeconds));
    Commands.Result r = commands.run(cmd, seconds + 90L, env, null, true);
    PostgresBench.check(r, "wrk");
    return parse(r.stdout(), r.cpuSeconds());
  }

  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");

  /** The WRKRESULT line the script's done() prints. */
  static Result parse(String stdout, double cpuSeconds) {
    String line = stdout.lines().filter(l -> l.startsWith("WRKRESULT ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no WRKRESULT line in wrk's output:\n" + stdout));
    Map<String, String> f = new HashMap<>();
    Matcher m = FIELD.matcher(line);
    while (m.find()) f.put(m.group(1), m.group(2));
    double seconds = Long.parseLong(f.get("duration_us")) / 1e6;
    long requests = Long.parseLong(f.get("requests"));
    long ok = Long.parseLong(f.get("ok"));
    long socketErrors = Long.parseLong(f.get("connect")) + Long.parseLong(f.get("read"))
        + Long.parseLong(f.get("write")) + Long.parseLong(f.get("timeout"));
    long failed = Long.parseLong(f.get("other")) + socketErrors;
    String first = f.getOrDefault("first", "").replace('+', ' ').trim();
    if (first.isEmpty() && socketErrors > 0) first = socketErrors + " socket errors/timeouts";
    return new Result(ok / seconds, Long.parseLong(f.get("p50_us")) / 1000.0, Long.parseLong(f.get("p99_us")) / 1000.0,
        cpuSeconds / seconds, requests, ok, failed, first, seconds);
  }
}
