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
    Path outDir) {

  /** The scenarios, in run order (see USAGE for what each measures). */
  public static final List<String> ALL = List.of("a", "b", "c", "d", "e", "f");

  static final String USAGE = String.join("\n",
      "Usage: bin/wallet bench [options]",
      "  Starts a local Cassandra + one wallet node, PostgreSQL and Redis in a temp dir, measures",
      "  them with the same client concurrency, stops all of it, and writes target/bench/report.md",
      "  and target/bench/throughput.png.",
      "",
      "  --install             apt-get install missing wrk / postgresql / redis-server (root only);",
      "                        also WALLET_BENCH_INSTALL=1",
      "  --concurrency N       concurrent clients/connections for every system (default 16)",
      "  --seconds S           measured seconds per scenario (default 20)",
      "  --warmup S            mixed-load warm-up of the service before measuring it (default 60)",
      "  --phase-warmup S      unmeasured seconds before each scenario (default 10)",
      "  --only a,b,...        run only these scenarios:",
      "                          a  single reservations, one hot wallet",
      "                          b  single reservations over 1,000 wallets",
      "                          c  POST /v1/batch, 1,000 reserves over 100 wallets",
      "                          d  raw Cassandra inserts (same driver as the journal)",
      "                          e  PostgreSQL (pgbench, hot row and 1,000 rows)",
      "                          f  Redis (redis-benchmark, AOF always and everysec)",
      "  --http-port P         wallet HTTP port (default 18080)",
      "  --remote-port P       wallet Pekko remoting port (default 18551)",
      "  --cassandra-port P    local Cassandra CQL port (default 19042)",
      "  --storage-port P      local Cassandra storage port (default 19043)",
      "  --pg-port P           PostgreSQL port (default 18432)",
      "  --redis-port P        Redis port (default 18379)",
      "  --out DIR             where report.md and throughput.png go (default target/bench)",
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

  /** Defaults: everything, 16 clients, 20 s measured after 10 s, 60 s service warm-up. */
  public static BenchOptions defaults() {
    return new BenchOptions(false, 16, 20, 60, 10, new LinkedHashSet<>(ALL),
        18080, 18551, 19042, 19043, 18432, 18379, Path.of("target", "bench"));
  }

  public boolean runs(String scenario) {
    return only.contains(scenario);
  }

  /** Whether the wallet node (and its Cassandra) is needed at all. */
  public boolean needsService() {
    return runs("a") || runs("b") || runs("c") || runs("d");
  }

  /** Whether one of our HTTP scenarios runs, so the service warm-up is worth doing. */
  public boolean measuresService() {
    return runs("a") || runs("b") || runs("c");
  }

  /** Rough wall time of the measuring itself (starts, installs and stops come on top). */
  public int estimatedSeconds() {
    int phase = phaseWarmup + seconds;
    int total = 0;
    if (measuresService()) total += warmup;
    for (String s : List.of("a", "b", "c", "d")) if (runs(s)) total += phase;
    if (runs("e")) total += 2 * phase;
    if (runs("f")) total += 2 * phase;
    return total;
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
        httpPort, remotePort, cassandraPort, storagePort, pgPort, redisPort, outDir);
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
    return String.join(" ", parts);
  }
}
