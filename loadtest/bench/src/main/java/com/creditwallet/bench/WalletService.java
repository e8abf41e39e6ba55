package com.creditwallet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service under test: {@code bin/wallet dev} as a child process (a local Cassandra node in
 * its own JVM plus one wallet node), on its own data dir and ports, with an admin key made for
 * this run only.
 *
 * <p>Why it exists: the bench must measure the service exactly as developers run it, in a JVM
 * apart from the load generator, and must stop it (and the Cassandra JVM it starts) whatever
 * way the bench ends. {@code bin/wallet} execs the JVM, so SIGTERM to the child reaches the
 * node's shutdown hook, which stops Cassandra; anything left after that is killed by pid.
 */
public final class WalletService {
  /** Open holds a bench wallet may have (the node's default is 100,000). */
  static final int BENCH_MAX_OPEN_HOLDS = 1_000_000;
  /** With a WALLET_WARMUP the user exported: room for up to the node's own limit (10 minutes). */
  static final int NODE_WARMUP_ALLOWANCE_SECONDS = 600;
  /** In the bench's work dir: the node's data (with its Cassandra's) and the node's output. */
  private static final String DATA_DIR = "wallet-data";
  private static final String NODE_LOG = "wallet-dev.log";


  private final Process process;
  private final List<ProcessHandle> family;
  private final String adminKey;
  private final int httpPort;
  private final int cassandraPort;
  private final Path log;
  private final Path dataDir;
  private final long startedAt = System.nanoTime();
  private volatile long readyAt;
  private volatile ServerCpu cpu = ServerCpu.none();

  private WalletService(Process process, List<ProcessHandle> family, String adminKey, int httpPort,
                        int cassandraPort, Path log, Path dataDir) {
    this.process = process;
    this.family = family;
    this.adminKey = adminKey;
    this.httpPort = httpPort;
    this.cassandraPort = cassandraPort;
    this.log = log;
    this.dataDir = dataDir;
  }

  /**
   * The node's log and its local Cassandra's in a work dir, by the names the report keeps them
   * under: {@code bin/wallet dev} puts Cassandra in {@code WALLET_DATA_DIR/cassandra}, and
   * Cassandra writes its log in {@code logs/} there.
   */
  public static Map<String, Path> logs(Path workDir) {
    Map<String, Path> logs = new LinkedHashMap<>();
    logs.put("wallet-node.log", workDir.resolve(NODE_LOG));
    logs.put("cassandra-system.log", workDir.resolve(DATA_DIR).resolve("cassandra").resolve("logs").resolve("system.log"));
    return logs;
  }

  /** Starts {@code bin/wallet dev} and returns once {@code /health/ready} answers 200. */
  public static WalletService start(Path repoRoot, Path workDir, BenchOptions options, Cleanup cleanup)
      throws IOException, InterruptedException {
    Path dataDir = workDir.resolve(DATA_DIR);
    Files.createDirectories(dataDir);
    Path log = workDir.resolve(NODE_LOG);
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String adminKey = "bench-" + HexFormat.of().formatHex(bytes); // never printed

    ProcessBuilder pb = new ProcessBuilder(repoRoot.resolve("bin/wallet").toString(), "dev")
        .directory(repoRoot.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Map<String, String> env = pb.environment();
    env.put("WALLET_DATA_DIR", dataDir.toString());
    env.put("WALLET_HTTP_PORT", "" + options.httpPort());
    env.put("WALLET_HTTP_HOST", "127.0.0.1");
    env.put("WALLET_REMOTE_PORT", "" + options.remotePort());
    env.put("WALLET_REMOTE_HOST", "127.0.0.1");
    env.put("WALLET_CASSANDRA_PORT", "" + options.cassandraPort());
    env.put("WALLET_CASSANDRA_STORAGE_PORT", "" + options.storagePort());
    env.put("WALLET_ADMIN_KEY", adminKey);
    env.remove("WALLET_SEED_NODES");
    env.remove("WALLET_CASSANDRA_KEYSPACE");
    // Every reservation of the bench holds its credit open: at 3,000/s the hot wallet of a would
    // pass the default 100,000 open holds within its 30 s and measure refusals. A user's own
    // WALLET_MAX_OPEN_HOLDS wins.
    env.putIfAbsent("WALLET_MAX_OPEN_HOLDS", "" + BENCH_MAX_OPEN_HOLDS);
    // The node's warm-up ends once its operations are done; WALLET_WARMUP caps its time: the
    // --node-warmup given, else a WALLET_WARMUP the user exported, else the bench's cap.
    boolean usersOwnWarmup = !options.setsNodeWarmup() && env.containsKey("WALLET_WARMUP");
    if (!usersOwnWarmup) env.put("WALLET_WARMUP", options.nodeWarmupSeconds() + "s");

    cleanup.checkNotStopping();
    Process p = pb.start();
    // Kept open and never written: some children watch stdin to notice their parent's death.
    List<ProcessHandle> family = new java.util.concurrent.CopyOnWriteArrayList<>();
    WalletService service =
        new WalletService(p, family, adminKey, options.httpPort(), options.cassandraPort(), log, dataDir);
    cleanup.add(service.stopKey(), service::stop);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI ready = URI.create("http://127.0.0.1:" + options.httpPort() + "/health/ready");
    // Starting takes well under a minute; the node's own warm-up (about 3 minutes) comes on top.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(
        120 + (usersOwnWarmup ? NODE_WARMUP_ALLOWANCE_SECONDS : options.nodeWarmupSeconds()));
    long shown = 0;
    while (true) {
      shown = echoProgress(log, shown);
      for (ProcessHandle h : p.descendants().toList()) if (!family.contains(h)) family.add(h);
      if (!p.isAlive()) {
        throw new IllegalStateException("bin/wallet dev exited with " + p.exitValue() + "; see " + log + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the wallet node was not ready in time; see " + log + ":\n" + tail(log));
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) break;
      } catch (IOException e) {
        // not listening yet
      }
      // Often: scenario w measures from this instant, so it must be seen soon after it happens.
      Thread.sleep(250);
    }
    service.readyAt = System.nanoTime();
    echoProgress(log, shown);
    for (ProcessHandle h : p.descendants().toList()) if (!family.contains(h)) family.add(h);
    service.cpu = ServerCpu.of(p.pid(), service.cassandraPid());
    return service;
  }

  /** The node's JVM: {@code bin/wallet} execs it, so it is the child the bench started. */
  public long nodePid() {
    return process.pid();
  }

  /**
   * The Cassandra JVM the node started: its descendant whose command line names this run's data
   * dir ({@code -Dcassandra.storagedir=...}), or -1.
   */
  public long cassandraPid() {
    String marker = "cassandra.storagedir=" + dataDir.resolve("cassandra");
    for (ProcessHandle h : process.descendants().toList()) {
      try {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline")).replace('\0', ' ');
        if (cmdline.contains(marker)) return h.pid();
      } catch (IOException | RuntimeException e) {
        // gone, or not Linux
      }
    }
    return -1;
  }

  /** CPU probes of the node's and Cassandra's JVMs (NaN figures where a pid is unknown). */
  public ServerCpu cpu() {
    return cpu;
  }

  /** Seconds from starting {@code bin/wallet dev} to its first 200 on /health/ready. */
  public double secondsToReady() {
    return (readyAt - startedAt) / 1e9;
  }

  /** {@link System#nanoTime()} when the node was first seen ready. */
  public long readyAt() {
    return readyAt;
  }

  /** Whether the node's output so far contains {@code text} (e.g. an OutOfMemoryError). */
  public boolean logContains(String text) {
    try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.anyMatch(l -> l.contains(text));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Where the node keeps its data (Cassandra's under it), for its size on disk. */
  public Path dataDir() {
    return dataDir;
  }

  private static final java.util.regex.Pattern WARMUP_STARTED =
      java.util.regex.Pattern.compile("warming up before reporting ready: (.+?) \\(WALLET_WARMUP");
  private static final java.util.regex.Pattern WARMUP_DONE = java.util.regex.Pattern.compile(
      "warm-up done: (\\d+) operations in ([0-9.,]+) s \\((\\d+) failed\\), ended: ([^;]+);");

  /**
   * What the node's log says of its own warm-up before ready: "182.4 s (180,012 operations, 0
   * failed; ended: its 180,000 operations done)", what it set out to do while it runs, "none" when it
   * logged none (WALLET_WARMUP=0s, or a node without one).
   */
  public String nodeWarmupLogged() {
    try {
      return nodeWarmup(Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static String nodeWarmup(String logText) {
    java.util.regex.Matcher started = WARMUP_STARTED.matcher(logText);
    if (!started.find()) return "none";
    java.util.regex.Matcher done = WARMUP_DONE.matcher(logText);
    if (!done.find()) return "not done: " + started.group(1);
    return done.group(2) + " s (" + Report.ops(Long.parseLong(done.group(1))) + " operations, "
        + done.group(3) + " failed; ended: " + done.group(4) + ")";
  }

  /** Echoes the node's own "[wallet dev]" progress lines (they never contain the key: it is set). */
  private static long echoProgress(Path log, long alreadyShown) throws IOException {
    long n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("[wallet dev]") || line.startsWith("[wallet]")) {
          n++;
          if (n > alreadyShown) Log.line("  " + line);
        }
      }
    }
    return Math.max(n, alreadyShown);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The name its stop action is registered under in {@link Cleanup}. */
  public String stopKey() {
    return "the wallet node and its Cassandra (pid " + process.pid() + ")";
  }

  public int httpPort() {
    return httpPort;
  }

  /** Used as a bearer key only; never printed or written anywhere by the bench. */
  String adminKey() {
    return adminKey;
  }

  public int cassandraPort() {
    return cassandraPort;
  }

  public Path log() {
    return log;
  }

  /** SIGTERM (the node stops Cassandra itself), up to 90 s, then kills whatever is left. */
  public void stop() throws InterruptedException {
    for (ProcessHandle h : process.descendants().toList()) if (!family.contains(h)) family.add(h);
    if (process.isAlive()) {
      Log.line("stopping the wallet node and its Cassandra ...");
      process.destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        Log.line("the wallet node did not stop within 90 s: killing it");
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until && family.stream().anyMatch(ProcessHandle::isAlive)) Thread.sleep(200);
    for (ProcessHandle h : family) {
      if (h.isAlive()) {
        Log.line("killing leftover process " + h.pid());
        Commands.kill(h);
      }
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
