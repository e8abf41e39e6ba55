package com.creditwallet.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code bin/wallet bench}, parsed and checked.
 *
 * <p>Why it exists: every system in the comparison must run with the same concurrency and the
 * same phase lengths, and the ports must not collide with a {@code bin/wallet dev} the user may
 * be running; one immutable record carries those choices to every phase (and is unit-tested).
 *
 * @param nodeWarmup seconds of the node's own warm-up (WALLET_WARMUP), or {@link #NODE_DEFAULT}
 * @param rate h's fixed rate in reservations/s, or 0 for half of a's measured rate
 * @param wallets how many distinct wallets m creates and reserves on
 */
public record BenchOptions(
    boolean install,
    int concurrency,
    int seconds,
    int warmup,
    int phaseWarmup,
    Set<String> only,
    int httpPort,
    int remotePort,
    int cassandraPort,
    int storagePort,
    int pgPort,
    int redisPort,
    Path outDir,
    int nodeWarmup,
    int rate,
    int wallets) {

  /** Every scenario --only accepts (see USAGE for what each measures). */
  public static final List<String> ALL = List.of("a", "b", "c", "d", "e", "f", "w", "h", "m", "x");

  /**
   * What a plain {@code bin/wallet bench} runs: all but m, which takes many minutes and measures
   * memory rather than speed, and x, which measures a dip rather than a rate and would push the
   * bench past its 10 minutes; each is asked for on its own ({@code --only m}, {@code --only b,x}).
   */
  public static final List<String> DEFAULT = List.of("a", "b", "c", "d", "e", "f", "w", "h");

  /** {@link #nodeWarmup} when --node-warmup is not given: the node keeps its own default. */
  public static final int NODE_DEFAULT = -1;

  /**
   * The longest the node's own warm-up before ready may run when neither --node-warmup nor an
   * exported WALLET_WARMUP says otherwise. The node ends its warm-up once it has done its count of
   * operations (about 180 s on the idle 2-core machine), or at its own limit of 10 minutes on a
   * busy one; the bench waits for it, and this cap keeps a default run under its 10 minutes
   * whatever the machine. The estimate counts it whole.
   */
  public static final int NODE_WARMUP_CAP_SECONDS = 200;

  /**
   * PostgreSQL's and Redis' unmeasured seconds at most: native servers with no JIT to warm, whose
   * rate is steady within a second; the rest of --phase-warmup would only lengthen the run.
   */
  public static final int NATIVE_WARMUP_SECONDS = 3;

  /**
   * w: how long single reservations run from the node's ready (the target is about the first 30 s;
   * the rest shows whether the rate holds), and the window of each figure.
   */
  public static final int COLD_SECONDS = 45;
  public static final int COLD_WINDOW_SECONDS = 5;

  /** m: rough rates for the time estimate (wallets created/s, batch reservations/s), on the low side. */
  static final int MANY_PUTS_PER_SEC = 1500;
  static final int MANY_RESERVES_PER_SEC = 3000;

  static final String USAGE = String.join("\n",
      "Usage: bin/wallet bench [options]",
      "  Starts a local Cassandra + one wallet node, PostgreSQL and Redis in a temp dir, measures",
      "  them with the same client concurrency, stops all of it, and writes target/bench/report.md",
      "  and target/bench/throughput.png, with the node's and Cassandra's logs in target/bench/logs/.",
      "",
      "  --install             apt-get install missing wrk / postgresql / redis-server (root only);",
      "                        also WALLET_BENCH_INSTALL=1",
      "  --concurrency N       concurrent clients/connections for every system (default 16)",
      "  --seconds S           measured seconds per scenario (default 20)",
      "  --warmup S            mixed-load warm-up of the service before measuring it (default 20,",
      "                        after the node's own warm-up before ready)",
      "  --phase-warmup S      unmeasured seconds before each scenario (default 10; at most "
        + NATIVE_WARMUP_SECONDS + " for",
      "                        PostgreSQL and Redis)",
      "  --only a,b,...        run only these scenarios (default all but m):",
      "                          a  single reservations, one hot wallet",
      "                          b  single reservations over 1,000 wallets",
      "                          c  POST /v1/batch, 1,000 reserves over 100 wallets",
      "                          d  raw Cassandra inserts (same driver as the journal), then",
      "                             d2: only the rows of batch items (journal rows, ledger",
      "                             lines), 10 items of one wallet per call",
      "                          e  PostgreSQL (pgbench, hot row and 1,000 rows)",
      "                          f  Redis (redis-benchmark, AOF always and everysec)",
      "                          w  time to full speed: single reservations on a fresh wallet from",
      "                             the node's ready on, " + COLD_SECONDS + " s in " + COLD_WINDOW_SECONDS
          + "-s windows (before any other load)",
      "                          h  latency at half of peak: open loop at 50% of a's ops/s, p99 vs 20 ms",
      "                          m  a million distinct wallets (not in the default set: takes many",
      "                             minutes): creates --wallets wallets, one reservation each by",
      "                             /v1/batch, and records the node's heap",
      "                          x  expiry wave (not in the default set; wrk only; runs last):",
      "                             60 s of holds with a 60-s TTL over b's wallets, then b's load",
      "                             in 20-s windows while they expire",
      "  --node-warmup S       the longest the node's own warm-up before ready may run",
      "                        (WALLET_WARMUP; it ends sooner once its operations are done;",
      "                        0 skips it); default " + NODE_WARMUP_CAP_SECONDS + ", or an exported WALLET_WARMUP",
      "  --rate N              h's rate in reservations/s (default: half of a's measured ops/s;",
      "                        without a and without --rate, h is skipped)",
      "  --wallets N           m's number of wallets (default 1,000,000)",
      "  --http-port P         wallet HTTP port (default 18080)",
      "  --remote-port P       wallet Pekko remoting port (default 18551)",
      "  --cassandra-port P    local Cassandra CQL port (default 19042)",
      "  --storage-port P      local Cassandra storage port (default 19043)",
      "  --pg-port P           PostgreSQL port (default 18432)",
      "  --redis-port P        Redis port (default 18379)",
      "  --out DIR             where report.md, throughput.png and logs/ go (default target/bench)",
      "  --help                this text");

  /** A command line that cannot be run; the message says why. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }

  public BenchOptions {
    only = Collections.unmodifiableSet(new LinkedHashSet<>(only));
  }

  /** Defaults: all but m, 16 clients, 20 s measured after 10 s, 20 s service warm-up. */
  public static BenchOptions defaults() {
    return new BenchOptions(false, 16, 20, 20, 10, new LinkedHashSet<>(DEFAULT),
        18080, 18551, 19042, 19043, 18432, 18379, Path.of("target", "bench"), NODE_DEFAULT, 0, 1_000_000);
  }

  public boolean runs(String scenario) {
    return only.contains(scenario);
  }

  /** Whether the wallet node (and its Cassandra) is needed at all. */
  public boolean needsService() {
    return runs("a") || runs("b") || runs("c") || runs("d") || runs("w") || runs("h") || runs("m") || runs("x");
  }

  /**
   * Whether one of the scenarios that measure a warm node over its HTTP API runs, so the bench's
   * wallets and its mixed-load warm-up are needed (w runs before both; m makes its own wallets).
   */
  public boolean measuresService() {
    return runs("a") || runs("b") || runs("c") || runs("h") || runs("x");
  }

  /** Whether --node-warmup was given (otherwise the node keeps its own default). */
  public boolean setsNodeWarmup() {
    return nodeWarmup != NODE_DEFAULT;
  }

  /**
   * Rough wall time of the run: the node's warm-up before ready and the measuring (starts, installs
   * and stops come on top).
   */
  public int estimatedSeconds() {
    int phase = phaseWarmup + seconds;
    int total = 0;
    if (runs("w")) total += COLD_SECONDS;
    if (measuresService()) total += warmup;
    for (String s : List.of("a", "b", "c", "d", "h")) if (runs(s)) total += phase;
    if (runs("d")) total += nativeWarmup() + seconds; // d2
    if (needsService()) total += nodeWarmupSeconds();
    if (runs("e")) total += 2 * (nativeWarmup() + seconds);
    if (runs("f")) total += 2 * (nativeWarmup() + seconds);
    if (runs("m")) total += manySeconds();
    if (runs("x")) total += ExpiryWave.HOLD_SECONDS + ExpiryWave.WINDOWS * ExpiryWave.WINDOW_SECONDS;
    return total;
  }

  /** The longest the node's own warm-up before ready may run: given, or the bench's cap. */
  public int nodeWarmupSeconds() {
    return setsNodeWarmup() ? nodeWarmup : NODE_WARMUP_CAP_SECONDS;
  }

  /** Seconds of load the node has had before the service is measured: its own warm-up and the bench's. */
  public int serviceWarmSeconds() {
    return nodeWarmupSeconds() + warmup;
  }

  /** Unmeasured seconds before each PostgreSQL and Redis run. */
  public int nativeWarmup() {
    return Math.min(phaseWarmup, NATIVE_WARMUP_SECONDS);
  }

  /** m's share of {@link #estimatedSeconds()}: creating the wallets, reserving on each, the final GC. */
  public int manySeconds() {
    return runs("m") ? wallets / MANY_PUTS_PER_SEC + wallets / MANY_RESERVES_PER_SEC + 30 : 0;
  }

  /**
   * Parses {@code argv}; {@code installFromEnv} is WALLET_BENCH_INSTALL=1. Both {@code --x v} and
   * {@code --x=v} work.
   */
  public static BenchOptions parse(String[] argv, boolean installFromEnv) throws UsageException {
    BenchOptions d = defaults();
    boolean install = installFromEnv;
    int concurrency = d.concurrency, seconds = d.seconds, warmup = d.warmup, phaseWarmup = d.phaseWarmup;
    Set<String> only = new LinkedHashSet<>(d.only);
    int httpPort = d.httpPort, remotePort = d.remotePort, cassandraPort = d.cassandraPort,
        storagePort = d.storagePort, pgPort = d.pgPort, redisPort = d.redisPort;
    Path outDir = d.outDir;
    int nodeWarmup = d.nodeWarmup, rate = d.rate, wallets = d.wallets;
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
      if (arg.equals("--install")) {
        install = true;
        continue;
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        value = argv[++i];
      } else {
        value = null;
      }
      if (value == null) throw new UsageException("missing value for " + name);
      switch (name) {
        case "--concurrency" -> concurrency = number(name, value, 1, 1024);
        case "--seconds" -> seconds = number(name, value, 1, 3600);
        case "--warmup" -> warmup = number(name, value, 0, 3600);
        case "--phase-warmup" -> phaseWarmup = number(name, value, 0, 3600);
        case "--only" -> only = scenarios(value);
        case "--http-port" -> httpPort = number(name, value, 1, 65535);
        case "--remote-port" -> remotePort = number(name, value, 1, 65535);
        case "--cassandra-port" -> cassandraPort = number(name, value, 1, 65535);
        case "--storage-port" -> storagePort = number(name, value, 1, 65535);
        case "--pg-port" -> pgPort = number(name, value, 1, 65535);
        case "--redis-port" -> redisPort = number(name, value, 1, 65535);
        case "--node-warmup" -> nodeWarmup = number(name, value, 0, 3600);
        case "--rate" -> rate = number(name, value, 1, 1_000_000);
        case "--wallets" -> wallets = number(name, value, 1, 100_000_000);
        case "--out" -> {
          if (value.isBlank()) throw new UsageException("--out needs a directory");
          outDir = Path.of(value);
        }
        default -> throw new UsageException("unknown option " + name);
      }
    }
    List<Integer> ports = List.of(httpPort, remotePort, cassandraPort, storagePort, pgPort, redisPort);
    if (new LinkedHashSet<>(ports).size() != ports.size()) {
      throw new UsageException("the ports must all differ, got " + ports);
    }
    return new BenchOptions(install, concurrency, seconds, warmup, phaseWarmup, only,
        httpPort, remotePort, cassandraPort, storagePort, pgPort, redisPort, outDir, nodeWarmup, rate, wallets);
  }

  private static Set<String> scenarios(String value) throws UsageException {
    Set<String> picked = new LinkedHashSet<>();
    for (String s : value.split(",")) {
      String id = s.trim().toLowerCase(java.util.Locale.ROOT);
      if (id.isEmpty()) continue;
      if (!ALL.contains(id)) {
        throw new UsageException("unknown scenario '" + s.trim() + "' in --only: expected some of " + String.join(",", ALL));
      }
      picked.add(id);
    }
    if (picked.isEmpty()) throw new UsageException("--only needs at least one of " + String.join(",", ALL));
    List<String> ordered = new ArrayList<>(ALL);
    ordered.retainAll(picked);
    return new LinkedHashSet<>(ordered);
  }

  private static int number(String name, String value, int min, int max) throws UsageException {
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + " expects a whole number, was '" + value + "'");
    }
    if (n < min || n > max) throw new UsageException(name + " must be between " + min + " and " + max + ", was " + n);
    return n;
  }

  /** The options as a command line, for the report (nothing secret is in them). */
  public String commandLine() {
    List<String> parts = new ArrayList<>(List.of("bin/wallet", "bench"));
    BenchOptions d = defaults();
    if (install) parts.add("--install");
    if (concurrency != d.concurrency) parts.addAll(List.of("--concurrency", "" + concurrency));
    if (seconds != d.seconds) parts.addAll(List.of("--seconds", "" + seconds));
    if (warmup != d.warmup) parts.addAll(List.of("--warmup", "" + warmup));
    if (phaseWarmup != d.phaseWarmup) parts.addAll(List.of("--phase-warmup", "" + phaseWarmup));
    if (!only.equals(d.only)) parts.addAll(List.of("--only", String.join(",", only)));
    if (httpPort != d.httpPort) parts.addAll(List.of("--http-port", "" + httpPort));
    if (remotePort != d.remotePort) parts.addAll(List.of("--remote-port", "" + remotePort));
    if (cassandraPort != d.cassandraPort) parts.addAll(List.of("--cassandra-port", "" + cassandraPort));
    if (storagePort != d.storagePort) parts.addAll(List.of("--storage-port", "" + storagePort));
    if (pgPort != d.pgPort) parts.addAll(List.of("--pg-port", "" + pgPort));
    if (redisPort != d.redisPort) parts.addAll(List.of("--redis-port", "" + redisPort));
    if (!outDir.equals(d.outDir)) parts.addAll(List.of("--out", outDir.toString()));
    if (nodeWarmup != d.nodeWarmup) parts.addAll(List.of("--node-warmup", "" + nodeWarmup));
    if (rate != d.rate) parts.addAll(List.of("--rate", "" + rate));
    if (wallets != d.wallets) parts.addAll(List.of("--wallets", "" + wallets));
    return String.join(" ", parts);
  }
}
