package com.creditwallet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Scenario e: PostgreSQL (Debian's {@code postgresql}) in a temp data dir, measured with
 * pgbench the usual way: the check-and-decrement UPDATE on
 * one hot row and on 1,000 rows, commits fsynced (the default), over 127.0.0.1.
 *
 * <p>Why it exists: "a row per wallet in PostgreSQL" is the obvious alternative design; its
 * hot-row and spread figures on the same machine and concurrency are what the service's
 * figures must be read against. As root the server runs as user {@code postgres}.
 */
public final class PostgresBench {

  static final String PACKAGE = "postgresql";

  private PostgresBench() {}

  /** The newest /usr/lib/postgresql/N/bin that has initdb, pg_ctl and pgbench, or null. */
  public static Path binDir() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) return null;
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+"))
          .sorted(Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString())).reversed())
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
              && Files.isExecutable(b.resolve("pgbench")) && Files.isExecutable(b.resolve("psql")))
          .findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Why PostgreSQL cannot run here, or null when it can. */
  public static String unavailable() {
    if (binDir() == null) return "PostgreSQL not found (/usr/lib/postgresql/*/bin/pgbench)";
    if (Commands.isRoot() && !userExists("postgres")) return "running as root but there is no user 'postgres' to run it as";
    return null;
  }

  private static boolean userExists(String user) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  public static List<Row> run(Path workDir, BenchOptions options, Commands commands, Cleanup cleanup)
      throws IOException, InterruptedException {
    Path bin = binDir();
    String version = bin.getParent().getFileName().toString();
    Path dir = workDir.resolve("pg");
    Path data = dir.resolve("data");
    Files.createDirectories(dir);
    boolean root = Commands.isRoot();
    if (root) {
      // The server runs as postgres, which must reach its dir: open the path, give it the dir.
      Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
      check(commands.run(List.of("chown", "postgres:postgres", dir.toString()), 30), "chown");
    }
    String port = "" + options.pgPort();
    Log.line("e. PostgreSQL " + version + ": initdb in " + data + " ...");
    check(commands.run(asServerUser(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
        "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"), 180), "initdb");
    String serverOpts = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections="
        + Math.max(100, options.concurrency() + 20);
    check(commands.run(asServerUser(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(),
        "-l", dir.resolve("server.log").toString(), "-o", serverOpts, "-w", "-t", "60", "start"), 90), "pg_ctl start");
    cleanup.add("PostgreSQL", () -> stop(commands, bin, data, root));
    try {
      List<String> psql = List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
          "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres",
          "-c", "CREATE TABLE w (id int PRIMARY KEY, balance bigint NOT NULL)",
          "-c", "INSERT INTO w SELECT g, 1000000000000 FROM generate_series(1, 1000) g",
          "-c", "VACUUM ANALYZE w",
          "-c", "SHOW fsync",
          "-c", "SHOW synchronous_commit");
      Commands.Result setup = commands.run(psql, 60);
      check(setup, "psql (create table)");
      Log.line("e. PostgreSQL settings: fsync=" + setup.stdout().strip().replaceAll("\\s+", ", synchronous_commit="));

      Path hot = dir.resolve("hot.sql");
      Files.writeString(hot, "UPDATE w SET balance = balance - 1 WHERE id = 1 AND balance >= 1;\n");
      Path spread = dir.resolve("spread.sql");
      Files.writeString(spread, "\\set id random(1, 1000)\nUPDATE w SET balance = balance - 1 WHERE id = :id AND balance >= 1;\n");
      List<Row> rows = new ArrayList<>();
      rows.add(pgbench("e1", "hot row (UPDATE ... WHERE id = 1)", hot, bin, dir, options, commands));
      rows.add(pgbench("e2", "1,000 rows (id random 1..1000)", spread, bin, dir, options, commands));
      return rows;
    } finally {
      cleanup.runNow("PostgreSQL");
    }
  }

  private static Row pgbench(String id, String scenario, Path script, Path bin, Path dir, BenchOptions options,
                             Commands commands) throws IOException, InterruptedException {
    int c = options.concurrency();
    int threads = Math.max(1, Math.min(c, Runtime.getRuntime().availableProcessors()));
    List<String> base = List.of(bin.resolve("pgbench").toString(), "-n", "-h", "127.0.0.1",
        "-p", "" + options.pgPort(), "-U", "postgres", "-c", "" + c, "-j", "" + threads, "-f", script.toString());
    String label = id + ". PostgreSQL " + scenario;
    if (options.nativeWarmup() > 0) {
      Log.line(label + ": warm-up " + options.nativeWarmup() + " s ...");
      List<String> warm = new ArrayList<>(base);
      warm.addAll(List.of("-T", "" + options.nativeWarmup(), "postgres"));
      check(commands.run(warm, options.nativeWarmup() + 60), "pgbench warm-up");
    }
    Log.line(label + ": measuring " + options.seconds() + " s ...");
    Path logs = Files.createDirectories(dir.resolve("pgbench-" + id));
    List<String> measure = new ArrayList<>(base);
    measure.addAll(List.of("-T", "" + options.seconds(), "-l", "--log-prefix=" + logs.resolve("tx"), "postgres"));
    Commands.Result r = commands.run(measure, options.seconds() + 60, Map.of(), logs, true);
    check(r, "pgbench");
    double tps = tps(r.stdout());
    Histogram h = latencies(logs);
    double cpu = r.cpuSeconds() / options.seconds();
    Log.line(label + ": " + Report.ops(tps) + " tps");
    return Row.measured(id, "PostgreSQL " + serverVersion(bin), scenario, tps,
        h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
        h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0, cpu, "fsync on");
  }

  private static String serverVersion(Path bin) {
    return bin.getParent().getFileName().toString();
  }

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  /** pgbench's "tps = N (without initial connection time)". */
  static double tps(String stdout) {
    Matcher m = TPS.matcher(stdout);
    if (!m.find()) throw new IllegalStateException("no tps in pgbench's output:\n" + stdout);
    return Double.parseDouble(m.group(1));
  }

  /** Every transaction's latency (3rd field, microseconds) from pgbench's -l logs. */
  static Histogram latencies(Path logs) throws IOException {
    Histogram h = new Histogram(300_000_000L, 3);
    try (Stream<Path> files = Files.list(logs)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("tx.")).toList()) {
        try (Stream<String> lines = Files.lines(f)) {
          lines.forEach(line -> {
            String[] parts = line.split(" ");
            if (parts.length >= 3) {
              try {
                h.recordValue(Math.max(1, Math.min(300_000_000L, Long.parseLong(parts[2]))));
              } catch (NumberFormatException ignored) {
                // not a transaction line
              }
            }
          });
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    }
    return h;
  }

  private static void stop(Commands commands, Path bin, Path data, boolean root) throws Exception {
    if (!Files.exists(data.resolve("postmaster.pid"))) return;
    Log.line("stopping PostgreSQL ...");
    Commands.Result r = commands.runForStop(asServerUser(root, bin.resolve("pg_ctl").toString(), "-D",
        data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), 90);
    if (!r.ok() && Files.exists(data.resolve("postmaster.pid"))) {
      long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
      Log.line("pg_ctl stop failed; killing the postmaster " + pid);
      ProcessHandle.of(pid).ifPresent(h -> {
        try {
          Commands.kill(h);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  private static List<String> asServerUser(boolean root, String... command) {
    List<String> cmd = new ArrayList<>();
    if (root) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    cmd.addAll(List.of(command));
    return cmd;
  }

  static void check(Commands.Result r, String what) {
    if (!r.ok()) throw new IllegalStateException(what + " failed (exit " + r.exitCode() + "):\n" + r.tail());
  }
}
