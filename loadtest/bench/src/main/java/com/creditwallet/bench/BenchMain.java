package com.creditwallet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/wallet bench}: starts the service (local Cassandra + one wallet node), PostgreSQL
 * and Redis in a temp dir, measures them one after the other with the same client concurrency,
 * stops all of it, prints the table and writes target/bench/report.md and throughput.png (and
 * keeps the node's and Cassandra's logs in target/bench/logs/).
 *
 * <p>Why it exists: "how fast is the wallet" only means something next to what its store can
 * take and what the obvious alternatives (a row in PostgreSQL, a counter in Redis) do on the
 * same machine; one bounded command makes that comparison repeatable by anyone. The same run
 * measures the other targets on the same node: time to full speed after ready (w, first,
 * before anything else touches the node), latency at half of peak (h, right after a), and, when
 * asked for, a million distinct wallets under the node's heap (m, last).
 */
public final class BenchMain {

  private final BenchOptions options;
  private final Path repoRoot;
  private final Path workDir;
  private final Cleanup cleanup;
  private final Commands commands;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private String warmupStatement;
  /** What the node did before it reported ready (its own warm-up), for the report. */
  private String nodeWarmup = "the node did not start";
  private ColdStart.Result coldStart;
  private ExpiryWave.Result wave;
  private ManyWallets.Result many;
  private boolean anyFailure;
  /** Why wrk does not drive the HTTP scenarios (then the Java client does), or null. */
  private String wrkMissing;
  private final double loadAtStart = Machine.loadAverage();

  private BenchMain(BenchOptions options, Path repoRoot, Path workDir, Cleanup cleanup) throws IOException {
    this.options = options;
    this.repoRoot = repoRoot;
    this.workDir = workDir;
    this.cleanup = cleanup;
    this.commands = new Commands(Files.createDirectories(workDir.resolve("logs")), cleanup);
  }

  public static void main(String[] argv) {
    for (String a : argv) {
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(BenchOptions.USAGE);
        return;
      }
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(argv, "1".equals(System.getenv("WALLET_BENCH_INSTALL")));
    } catch (BenchOptions.UsageException e) {
      System.err.println("wallet bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    System.setProperty("java.awt.headless", "true");
    Path repoRoot = Path.of(System.getProperty("wallet.bench.root", ".")).toAbsolutePath().normalize();
    String busy = busyPorts(options);
    if (busy != null) {
      System.err.println("wallet bench: " + busy);
      System.exit(2);
      return;
    }

    Cleanup cleanup = new Cleanup();
    boolean[] interrupted = {false};
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!cleanup.stopping()) {
        interrupted[0] = true;
        Log.line("interrupted: stopping everything the bench started ...");
      }
      cleanup.runAll();
    }, "bench-stop"));
    startWatchdog(options);

    int code;
    Path workDir = null;
    try {
      workDir = Files.createTempDirectory("wallet-bench-");
      Path dir = workDir;
      // Registered first, so it runs last: an interrupted run leaves no temp data behind.
      cleanup.add("the work dir", () -> {
        if (interrupted[0]) delete(dir);
      });
      BenchMain bench = new BenchMain(options, repoRoot, workDir, cleanup);
      bench.run();
      code = bench.anyFailure ? 1 : 0;
    } catch (Exception | Error e) {
      Log.line("bench failed: " + e);
      e.printStackTrace(System.err);
      code = 1;
    } finally {
      cleanup.runAll();
    }
    leftovers();
    if (workDir != null && Files.exists(workDir)) {
      if (code == 0) {
        delete(workDir);
      } else {
        Log.line("logs of this run are kept in " + workDir);
      }
    }
    System.exit(code);
  }

  private void run() throws Exception {
    Log.line("machine: " + Machine.describe());
    Log.line("command: " + options.commandLine());
    Log.line(options.concurrency() + " concurrent clients for every system; " + options.seconds()
        + " s measured after " + options.phaseWarmup() + " s unmeasured per scenario"
        + (options.runs("e") || options.runs("f") ? " (" + options.nativeWarmup() + " s for PostgreSQL and Redis)" : "")
        + (options.measuresService() ? "; service warm-up " + options.warmup() + " s" : "")
        + "; scenarios " + String.join(",", options.only()));
    String busy = Machine.busyWarning(loadAtStart);
    if (busy != null) Log.line("WARNING: " + busy);
    Log.line("the run takes about " + minutes(options.estimatedSeconds())
        + " min (the node's warm-up before ready included), plus starting and stopping the systems; work dir "
        + workDir);

    // Installs first: apt-get must not run while something is being measured.
    String pgMissing = options.runs("e")
        ? Installer.ensure("PostgreSQL", PostgresBench.PACKAGE, PostgresBench::unavailable, Set.of("postgres"),
            options.install(), commands)
        : null;
    if (options.measuresService() || options.runs("w")) {
      wrkMissing = Installer.ensure("wrk", Wrk.PACKAGE, Wrk::unavailable, Set.of(), options.install(), commands);
      Log.line(wrkMissing == null ? "the HTTP scenarios are driven by wrk (-t2, keep-alive connections)"
          : "the HTTP scenarios are driven by the Java client instead of wrk: " + wrkMissing);
    }
    String redisMissing = options.runs("f")
        ? Installer.ensure("Redis", RedisBench.PACKAGE, RedisBench::unavailable, Set.of("redis-server"),
            options.install(), commands)
        : null;

    if (options.needsService()) runService();
    if (options.runs("e")) {
      if (pgMissing != null) {
        Log.line("e. PostgreSQL skipped: " + pgMissing);
        rows.put("e1", Row.skipped("e1", "PostgreSQL", "hot row", pgMissing));
        rows.put("e2", Row.skipped("e2", "PostgreSQL", "1,000 rows", pgMissing));
      } else {
        try {
          for (Row r : PostgresBench.run(workDir, options, commands, cleanup)) rows.put(r.id(), r);
        } catch (Exception e) {
          failed(List.of("e1", "e2"), "PostgreSQL", List.of("hot row", "1,000 rows"), e);
        }
      }
    }
    if (options.runs("f")) {
      if (redisMissing != null) {
        Log.line("f. Redis skipped: " + redisMissing);
        rows.put("f1", Row.skipped("f1", "Redis", "AOF always", redisMissing));
        rows.put("f2", Row.skipped("f2", "Redis", "AOF everysec", redisMissing));
      } else {
        try {
          for (Row r : RedisBench.run(workDir, options, commands, cleanup)) rows.put(r.id(), r);
        } catch (Exception e) {
          failed(List.of("f1", "f2"), "Redis", List.of("AOF always", "AOF everysec"), e);
        }
      }
    }
    report();
  }

  private static final String OURS = "credits wallet";

  /** Our scenarios that need the node, as row ids (m makes two rows). */
  private List<String> serviceIds() {
    List<String> ids = new ArrayList<>();
    for (String s : List.of("w", "a", "h", "b", "c", "d")) if (options.runs(s)) ids.add(s);
    if (options.runs("m")) ids.addAll(List.of("m1", "m2"));
    return ids;
  }

  private void runService() throws InterruptedException {
    Log.line("starting a local Cassandra and one wallet node (bin/wallet dev, HTTP 127.0.0.1:"
        + options.httpPort() + ", CQL " + options.cassandraPort() + ", its warm-up before ready "
        + nodeWarmupLimit() + ") ...");
    WalletService service;
    try {
      service = WalletService.start(repoRoot, workDir, options, cleanup);
    } catch (Exception e) {
      List<String> ids = serviceIds();
      failed(ids, "service", ids.stream().map(BenchMain::scenarioName).toList(), e);
      return;
    }
    nodeWarmup = service.nodeWarmupLogged() + " (" + nodeWarmupLimit() + ")"
        + String.format(Locale.ROOT, "; ready %.0f s after start", service.secondsToReady());
    Log.line("the wallet node is ready (node warm-up before ready: " + nodeWarmup + "; log: " + service.log() + ")");
    if (service.cpu().mark().cassandraTicks() < 0) {
      Log.line("WARNING: the Cassandra JVM was not found among the node's children: its CPU is not measured");
    }
    try {
      WalletScenarios http = new WalletScenarios(service);
      Wrk wrk = null;
      if (wrkMissing == null && (options.measuresService() || options.runs("w"))) {
        try {
          wrk = new Wrk(commands, workDir, service.httpPort(), service.adminKey(), options.concurrency());
        } catch (IOException e) {
          wrkMissing = e.getMessage();
        }
      }
      // w first: it measures the node as it is when it reports ready, before anything else touches it.
      if (options.runs("w")) runCold(service, http, wrk);
      boolean ready = options.measuresService();
      if (ready) {
        try {
          http.setUp(options.concurrency());
        } catch (Exception e) {
          List<String> ids = new ArrayList<>();
          for (String s : List.of("a", "h", "b", "c")) if (options.runs(s)) ids.add(s);
          failed(ids, OURS, ids.stream().map(BenchMain::scenarioName).toList(), e);
          ready = false;
        }
      }
      if (ready) {
        try {
          runHttp(service, http, wrk);
        } catch (IOException | RuntimeException e) {
          List<String> ids = new ArrayList<>();
          for (String s : List.of("a", "h", "b", "c")) if (options.runs(s) && !rows.containsKey(s)) ids.add(s);
          failed(ids, OURS, ids.stream().map(BenchMain::scenarioName).toList(), e);
        }
      }
      if (options.runs("d")) {
        try {
          for (Row r : CassandraRaw.run(service.cassandraPort(), options, service.cpu())) rows.put(r.id(), r);
        } catch (Exception e) {
          List<String> ids = List.of("d", "d2").stream().filter(id -> !rows.containsKey(id)).toList();
          failed(ids, "Cassandra (raw)", ids.stream().map(BenchMain::scenarioName).toList(), e);
        }
      }
      if (options.runs("m")) runMany(service, http);
      // x last: its holds expire over the two minutes after it, which would land in anything later.
      if (options.runs("x")) runWave(service, wrk, ready);
    } finally {
      cleanup.runNow(service.stopKey());
    }
  }

  /** Scenario x: holds that expire together, and ordinary reservations meanwhile. */
  private void runWave(WalletService service, Wrk wrk, boolean ready) throws InterruptedException {
    if (wrk == null) {
      Log.line("x. skipped: the expiry wave is driven by wrk only (" + wrkMissing + ")");
      return;
    }
    if (!ready) {
      Log.line("x. skipped: the bench's wallets could not be set up");
      return;
    }
    Log.line("x. " + OURS + ": expiry wave (wrk) ...");
    try {
      wave = ExpiryWave.run(service, wrk);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      anyFailure = true;
      Log.line("x. failed: " + e);
    }
  }

  /** Scenario w: right after ready, before the bench's wallets and warm-up. */
  private void runCold(WalletService service, WalletScenarios http, Wrk wrk) throws InterruptedException {
    Log.line("w. " + OURS + ": time to full speed, single reservations from ready on, "
        + BenchOptions.COLD_SECONDS + " s in " + BenchOptions.COLD_WINDOW_SECONDS + "-s windows ("
        + (wrk != null ? "wrk" : "Java client") + ") ...");
    try {
      coldStart = ColdStart.run(service, http, wrk, options.concurrency());
      Row r = ColdStart.row(coldStart);
      rows.put("w", r);
      Log.line("w. " + summary(r));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      failed(List.of("w"), OURS, List.of(scenarioName("w")), e);
    } finally {
      http.closeConnections();
    }
  }

  /** Scenario h: open loop at half of a's peak, on a fresh hot wallet of its own. */
  private void runHalf(WalletService service, WalletScenarios http) throws InterruptedException {
    if (!options.runs("h")) return;
    HalfPeak.Plan plan = HalfPeak.plan(options.rate(), rows.get("a"));
    if (plan.skipped() != null) {
      Log.line("h. skipped: " + plan.skipped());
      rows.put("h", Row.skipped("h", OURS, scenarioName("h"), plan.skipped()));
      return;
    }
    int connections = HalfPeak.connections(options.concurrency());
    Log.line("h. " + OURS + ": latency at half of peak, open loop at " + Report.ops(plan.rate()) + " reservations/s ("
        + plan.source() + "), " + connections + " connections, " + options.phaseWarmup() + " s unmeasured then "
        + options.seconds() + " s measured ...");
    try {
      LoadRunner.CpuWindow cpu = new LoadRunner.CpuWindow(service.cpu());
      OpenLoop.Outcome o = OpenLoop.run("h", plan.rate(), connections, options.phaseWarmup(), options.seconds(),
          WalletScenarios.HOST, http.port(), n -> http.reserveRequest(WalletScenarios.HALF), 201, cpu);
      Row r = HalfPeak.row(plan, o, cpu.usage(), connections);
      rows.put("h", r);
      Log.line("h. " + summary(r));
    } catch (RuntimeException | java.io.IOException e) {
      failed(List.of("h"), OURS, List.of(scenarioName("h")), e);
    } finally {
      http.closeConnections();
    }
  }

  /** Scenario m: a million distinct wallets, with the node's heap watched. */
  private void runMany(WalletService service, WalletScenarios http) throws InterruptedException {
    try {
      many = ManyWallets.run(service, http, options.wallets(), commands);
      for (Row r : ManyWallets.rows(many)) {
        rows.put(r.id(), r);
        Log.line(r.id() + ". " + summary(r));
      }
      Log.line("m. " + ManyWallets.target(many));
    } catch (RuntimeException e) {
      failed(List.of("m1", "m2"), OURS, List.of(scenarioName("m1"), scenarioName("m2")), e);
    } finally {
      http.closeConnections();
    }
  }

  private static String summary(Row r) {
    return (r.isMeasured() ? Report.ops(r.opsPerSec()) + " ops/s, p50 " + Report.ms(r.p50Ms()) + " ms, p99 "
        + Report.ms(r.p99Ms()) + " ms" : r.skipped()) + (r.note().isEmpty() ? "" : " (" + r.note() + ")");
  }

  private void runHttp(WalletService service, WalletScenarios h, Wrk wrk) throws IOException, InterruptedException {
    if (options.warmup() > 0) {
      Log.line("warm-up: " + options.warmup() + " s of mixed load (single reservations, hot and spread, and"
          + " batches) on wallets of its own; not measured ...");
      int tail = Math.min(10, options.warmup());
      double rate;
      if (wrk != null) {
        if (options.warmup() > tail) wrk.run("mixed", "warm1", options.warmup() - tail);
        rate = wrk.run("mixed", "warm2", tail).opsPerSec();
      } else {
        rate = LoadRunner.run("service warm-up", options.concurrency(), options.warmup() - tail, tail, h::mixed)
            .opsPerSec();
        h.closeConnections();
      }
      Log.line("warm-up done: " + Report.ops(rate) + " reservations/s (singles and batch items) in its last "
          + tail + " s");
      warmupStatement = "service figures (a-c, h) are AFTER a " + options.warmup() + " s mixed-load warm-up ("
          + Report.ops(rate) + " reservations/s at its end, singles and batch items) plus " + options.phaseWarmup()
          + " s unmeasured per scenario" + (options.serviceWarmSeconds() < 60
          ? "; under 60 s of warm-up in all (the node's and the bench's) leaves the node's JIT short of full"
              + " speed on 2 cores" : "");
    } else {
      warmupStatement = "service figures (a-c, h) are WITHOUT the mixed-load warm-up (--warmup 0), only "
          + options.phaseWarmup() + " s unmeasured per scenario: a cold JVM on 2 cores is several times slower"
          + " in its first minutes";
    }
    Log.line(warmupStatement);
    measure("a", "hot", "single reservation, 1 hot wallet", "", h::hotWallet, wrk, h, service);
    runHalf(service, h);
    measure("b", "spread", "single reservation, 1,000 wallets", "", h::spread, wrk, h, service);
    // Batches by the Java client: its cost per 1,000-item request is negligible, and it measures a
    // window of a pipeline that is already full, where a fresh wrk run would count only the few
    // multi-second batches that both start and end inside a short window.
    measure("c", "batch", "batch of 1,000 reserves, 100 wallets", "items/s; latency per 1,000-item POST", h::batch,
        null, h, service);
  }

  private void measure(String id, String mode, String scenario, String note,
                       java.util.function.IntFunction<LoadRunner.Op> op, Wrk wrk, WalletScenarios h,
                       WalletService service)
      throws InterruptedException {
    if (!options.runs(id)) return;
    Log.line(id + ". " + OURS + ": " + scenario + " (" + (wrk != null ? "wrk" : "Java client") + ") ...");
    try {
      Row r;
      if (wrk != null) {
        if (options.phaseWarmup() > 0) {
          Log.line("  " + id + ": " + options.phaseWarmup() + " s unmeasured ...");
          wrk.run(mode, id + "w", options.phaseWarmup());
        }
        Log.line("  " + id + ": measuring " + options.seconds() + " s ...");
        ServerCpu.Mark mark = service.cpu().mark();
        Wrk.Result w = wrk.run(mode, id, options.seconds());
        ServerCpu.Usage cpu = service.cpu().since(mark);
        List<String> notes = new ArrayList<>();
        if (!note.isEmpty()) notes.add(note);
        notes.add("wrk");
        if (w.failed() > 0) notes.add(w.failed() + " failed, first: " + w.firstError());
        r = w.ok() == 0 ? Row.failed(id, OURS, scenario, "no successful op; " + String.join("; ", notes))
            : Row.measured(id, OURS, scenario, w.opsPerSec(), w.p50Ms(), w.p99Ms(), w.cpuCores(), String.join("; ", notes))
                .withServerCpu(cpu);
      } else {
        LoadRunner.CpuWindow cpu = new LoadRunner.CpuWindow(service.cpu());
        LoadRunner.Outcome o = LoadRunner.run(id + ". " + scenario, options.concurrency(), options.phaseWarmup(),
            options.seconds(), op, cpu);
        h.closeConnections();
        r = row(id, OURS, scenario, o, note.isEmpty() ? "Java client" : note + "; Java client");
        if (r.isMeasured()) r = r.withServerCpu(cpu.usage());
      }
      Log.line(id + ". " + summary(r));
      rows.put(id, r);
    } catch (RuntimeException | java.io.IOException e) {
      failed(List.of(id), OURS, List.of(scenario), e);
    }
  }

  /** A row from a load run; errors in the window go into its note. */
  static Row row(String id, String system, String scenario, LoadRunner.Outcome o, String note) {
    List<String> notes = new ArrayList<>();
    if (!note.isEmpty()) notes.add(note);
    if (o.errors() > 0) {
      notes.add(o.errors() + " of " + o.calls() + " calls failed, first: " + WalletScenarios.abbreviate(
          String.valueOf(o.firstError())));
    }
    if (o.ops() == 0) return Row.failed(id, system, scenario, "no successful op" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
    return Row.measured(id, system, scenario, o.opsPerSec(), o.p50Ms(), o.p99Ms(), o.clientCpuCores(),
        String.join("; ", notes));
  }

  private void failed(List<String> ids, String system, List<String> scenarios, Exception e) {
    anyFailure = true;
    String why = cleanup.stopping() ? "interrupted"
        : String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()).replaceAll(":$", "");
    Log.line(String.join(",", ids) + " failed: " + e.getMessage());
    for (int i = 0; i < ids.size(); i++) rows.put(ids.get(i), Row.failed(ids.get(i), system, scenarios.get(i), why));
  }

  private static String scenarioName(String id) {
    return switch (id) {
      case "a" -> "single reservation, 1 hot wallet";
      case "b" -> "single reservation, 1,000 wallets";
      case "c" -> "batch of 1,000 reserves, 100 wallets";
      case "d" -> "single-row INSERT, QUORUM (RF 1)";
      case "d2" -> ReservationRows.SCENARIO;
      case "w" -> ColdStart.SCENARIO;
      case "h" -> HalfPeak.SCENARIO;
      case "m1" -> "create distinct wallets (PUT)";
      case "m2" -> "1 reservation on each, /v1/batch";
      default -> id;
    };
  }

  private void report() throws IOException {
    List<Row> ordered = new ArrayList<>();
    for (String id : List.of("a", "b", "c", "d", "d2", "e1", "e2", "f1", "f2", "w", "h", "m1", "m2")) {
      if (rows.containsKey(id)) ordered.add(rows.get(id));
    }
    String date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    if (warmupStatement == null) {
      warmupStatement = options.measuresService() ? "our service was not measured" : "our service was not measured (--only)";
    }
    String machine = Machine.describe() + (Double.isNaN(loadAtStart) ? ""
        : String.format(Locale.ROOT, "; 1-minute load average %.2f when the bench started", loadAtStart));
    List<String> targets = new ArrayList<>(Report.comparisonTargets(ordered));
    if (options.runs("w")) {
      targets.add(coldStart != null ? ColdStart.target(coldStart, rows.get("a")) : "time to full speed: n/a (w failed)");
    }
    if (options.runs("h")) targets.add(HalfPeak.target(rows.get("h")));
    if (options.runs("m")) {
      targets.add(many != null ? ManyWallets.target(many) : "a million distinct wallets: n/a (m failed)");
    }
    List<Report.Section> sections = new ArrayList<>();
    if (coldStart != null) sections.add(ColdStart.section(coldStart, nodeWarmup));
    if (many != null) sections.add(ManyWallets.section(many));
    if (wave != null) sections.add(ExpiryWave.section(wave, rows.get("b")));
    Report.Context ctx = new Report.Context(date, options.commandLine(), machine, warmupStatement, nodeWarmup,
        options.concurrency(), options.seconds(), options.phaseWarmup(), targets, sections, notes());

    System.out.println();
    System.out.println("Results (" + options.concurrency() + " concurrent clients; " + options.seconds()
        + " s measured per scenario; " + warmupStatement + ")");
    System.out.println();
    System.out.print(Report.table(ordered));
    System.out.println();
    for (String line : Report.ratioLines(ordered)) System.out.println("  " + line);
    System.out.println();
    if (!targets.isEmpty()) {
      System.out.println("Targets:");
      for (String line : targets) System.out.println("  " + line);
      System.out.println();
    }
    for (Report.Section section : sections) {
      System.out.println(section.title() + ":");
      for (String line : section.console()) System.out.println("  " + line);
      System.out.println();
    }

    if (cleanup.stopping()) {
      // Interrupted: keep the last complete report rather than overwrite it with a partial one.
      Log.line("the run was interrupted: " + options.outDir() + " was left as it was");
      return;
    }
    Path out = repoRoot.resolve(options.outDir());
    Files.createDirectories(out);
    Path md = out.resolve("report.md");
    Files.writeString(md, Report.markdown(ordered, ctx), StandardCharsets.UTF_8);
    Path png = out.resolve("throughput.png");
    try {
      ThroughputChart.write(ordered, options.concurrency(), png);
    } catch (IOException | RuntimeException e) {
      Log.line("could not draw the chart: " + e);
    }
    Log.line("wrote " + repoRoot.relativize(md) + " and " + repoRoot.relativize(png));
    Path logs = out.resolve("logs");
    try {
      List<String> kept = KeptLogs.keep(WalletService.logs(workDir), logs);
      if (!kept.isEmpty()) Log.line("kept " + String.join(" and ", kept) + " in " + repoRoot.relativize(logs));
    } catch (IOException e) {
      Log.line("could not keep the service's logs: " + e);
    }
  }

  /** What limits the node's own warm-up's time in this run, and who set it. */
  private String nodeWarmupLimit() {
    if (options.setsNodeWarmup()) return "at most " + options.nodeWarmup() + " s, --node-warmup";
    String users = System.getenv("WALLET_WARMUP");
    if (users != null) return "at most WALLET_WARMUP=" + users + " from the environment";
    return "at most " + BenchOptions.NODE_WARMUP_CAP_SECONDS + " s, the bench's cap";
  }

  private List<String> notes() {
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> notes = new ArrayList<>();
    String busy = Machine.busyWarning(loadAtStart);
    if (busy != null) notes.add("WARNING: " + busy + ".");
    if ((options.measuresService() || options.runs("d") || options.runs("e") || options.runs("f"))
        && (options.seconds() < 20 || (options.measuresService() && options.serviceWarmSeconds() < 60))) {
      notes.add("This was a short run (" + options.seconds() + " s measured, " + options.serviceWarmSeconds()
          + " s of warm-up, the node's and the bench's): figures are indicative only. The defaults are 20 s"
          + " measured after 10 s, with the node's own warm-up (its operations, at most "
          + BenchOptions.NODE_WARMUP_CAP_SECONDS + " s) and the bench's 20 s.");
    }
    notes.add("Every system gets " + options.concurrency() + " concurrent clients in a closed loop (each sends its"
        + " next request when the previous one answered), like wrk, pgbench -c and redis-benchmark -c. Latency is"
        + " per request; p50/p99 of our service and raw Cassandra come from an HdrHistogram of every request in the"
        + " window, PostgreSQL's from pgbench's per-transaction log, Redis's from redis-benchmark.");
    notes.add("Single reservations (a, b) are driven by wrk with the bench's Lua script (-t"
        + Math.min(cores, options.concurrency()) + " -c" + options.concurrency() + ", a keep-alive connection per"
        + " client); without wrk, by the bench's Java client (a blocking keep-alive"
        + " connection per thread), which on a busy 2-core machine reached only about a third of wrk's rate on the"
        + " same node. Batches (c) always use the Java client: at 1,000 items per request its cost is negligible."
        + " The notes column says which client drove each row."
        + " 'client CPU' is the CPU the load generator (wrk, our JVM, pgbench or redis-benchmark) used over the"
        + " measured run, in cores of this machine's " + cores + ": it competes with the system under test.");
    notes.add("Durability: the local Cassandra acknowledges a write " + cassandraAck(commitlogSync())
        + ", while PostgreSQL fsyncs every commit (fsync on, synchronous_commit on) and Redis 'always' fsyncs before"
        + " it replies. Redis 'everysec' may lose the last second.");
    notes.add("'node CPU' and 'Cassandra CPU' are the cores the wallet node's JVM and the local Cassandra's JVM used over"
        + " the measured window (utime + stime from /proc/<pid>/stat); the notes column turns them into CPU time per"
        + " operation (per item for c and m2). On " + cores + " shared cores that, more than ops/s, is what carries"
        + " over to another machine.");
    notes.add("c counts reserve items per second; its p50/p99 are those of whole 1,000-item POSTs.");
    if (options.runs("w")) {
      notes.add("w starts the moment the node first answers ready, before the bench creates its other wallets or"
          + " runs its warm-up: " + BenchOptions.COLD_SECONDS + " s of single reservations at the same concurrency as a,"
          + " in " + BenchOptions.COLD_WINDOW_SECONDS + "-s runs, each on a fresh wallet. Its row is the first 30 s;"
          + " the section below has every window. What the node does before it reports ready is its own warm-up,"
          + " which ends once it has done its operations (WALLET_WARMUP_OPERATIONS) or at its time limit"
          + " (--node-warmup; compare --node-warmup 0 with the default).");
    }
    if (options.runs("h")) {
      notes.add("h is an open loop: requests are due at a fixed rate (half of a's, or --rate) whatever the node does,"
          + " on a fresh hot wallet of their own, and each latency runs from the instant its request was due, so a"
          + " stall counts for every request it delays. Its ops/s are the answers that arrived in the window.");
    }
    if (options.runs("m")) {
      notes.add("m (--only m) creates --wallets distinct wallets and reserves once on each; the node runs with"
          + " bin/wallet's heap (WALLET_JVM_OPTS, -Xmx2g by default) and keeps at most WALLET_ACTIVE_WALLETS wallets in"
          + " memory, so most are brought back from the journal for their reservation.");
    }
    notes.add("Each reservation holds 1 credit with a fresh reservationId, so the hot wallet's state grows by one"
        + " open hold per request during the run; the bench's node allows " + String.format(Locale.ROOT, "%,d",
        WalletService.BENCH_MAX_OPEN_HOLDS) + " open holds per wallet (WALLET_MAX_OPEN_HOLDS) instead of 100,000, so"
        + " the hot wallet never starts refusing.");
    notes.add("All systems run on 127.0.0.1, one after the other, each alone with the load generator: the wallet node"
        + " and its Cassandra are stopped before PostgreSQL starts.");
    return notes;
  }

  private static String minutes(int seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds / 60.0);
  }

  /** A message naming the first port the run needs that is taken, or null. */
  static String busyPorts(BenchOptions o) {
    Map<String, Integer> needed = new LinkedHashMap<>();
    if (o.needsService()) {
      needed.put("--http-port", o.httpPort());
      needed.put("--remote-port", o.remotePort());
      needed.put("--cassandra-port", o.cassandraPort());
      needed.put("--storage-port", o.storagePort());
    }
    if (o.runs("e")) needed.put("--pg-port", o.pgPort());
    if (o.runs("f")) needed.put("--redis-port", o.redisPort());
    for (Map.Entry<String, Integer> e : needed.entrySet()) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", e.getValue()));
      } catch (IOException ex) {
        return "port " + e.getValue() + " on 127.0.0.1 is in use (is another bench running?); choose another with "
            + e.getKey();
      }
    }
    return null;
  }

  /** Ends the run if it overruns its time bound by far; the shutdown hook then stops everything. */
  private static void startWatchdog(BenchOptions o) {
    // m's rates depend on the machine far more than a fixed-length run's: it may take several
    // times its estimate and still be making progress (its lines show the ETA).
    long limit = o.estimatedSeconds() + 900L + 3L * o.manySeconds();
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(limit * 1000);
        Log.line("the bench has run for " + limit + " s, far longer than planned: stopping it");
        System.exit(3);
      } catch (InterruptedException ignored) {
        // the run ended
      }
    }, "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** Kills (and names) any child process still alive after the stop; there should be none. */
  private static void leftovers() {
    for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
      if (!h.isAlive()) continue;
      Log.line("process " + h.pid() + " (" + h.info().command().orElse("?") + ") was still running: killing it");
      try {
        Commands.kill(h);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void delete(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      Log.line("could not delete " + dir + ": " + e.getMessage());
    }
  }

  /** The local Cassandra's commit log mode, as bin/wallet dev sets it (WALLET_CASSANDRA_COMMITLOG_SYNC). */
  static String commitlogSync() {
    String v = System.getenv("WALLET_CASSANDRA_COMMITLOG_SYNC");
    return v == null || v.isBlank() ? "periodic" : v.trim();
  }

  /** When a write of that mode is acknowledged, for the report. */
  static String cassandraAck(String mode) {
    return switch (mode) {
      case "group" -> "once the commit log of its 15 ms window is fsynced (commitlog_sync group)";
      case "batch" -> "once the commit log is fsynced, writes queued meanwhile sharing the fsync (commitlog_sync batch)";
      default -> "once it is in the commit log in memory (commitlog_sync periodic, fsync every 10 s; production"
          + " relies on replication 3 and LOCAL_QUORUM)";
    };
  }
}
