package com.creditwallet.gateway;

import com.creditwallet.gateway.http.Json;
import com.creditwallet.wallet.Outcome;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's hot paths for a while before it reports ready, so that its first real clients
 * meet compiled code. On a 2-core machine the JIT needs minutes of traffic to compile Pekko,
 * Jackson and the Cassandra driver, and it competes for the same cores as that traffic: a cold
 * node served a tenth of its warm rate in its first 20 seconds. Warming before readiness moves
 * that cost to a time when no client waits.
 *
 * <p>It ends when it has done {@link Plan#operations()} operations, a count of work rather than
 * time, so that a node whose warm-up shares the machine with other work (a restart with a million
 * holds falling due: 17,000-26,000 operations in 180 s against about 170,000 on an idle machine)
 * holds its readiness back until it is as warm as an idle one, instead of coming ready cold. It
 * never runs longer than {@link Plan#maxDuration()}, so a node that cannot get the CPU still comes
 * ready. Two kinds of loop run side by side until then:
 *
 * <ul>
 *   <li><b>Wallets</b>: reserve, commit, release, debit, refund, batch, read, through sharding
 *       and the real journal, on wallets {@code ~warmup-<node>-<i>}, each loop moving on to a
 *       wallet it has not used yet in this start every {@link #ROUNDS_PER_WALLET} rounds. The
 *       {@code '~'} makes them unreachable from the API (no client id can contain it), so
 *       warm-up traffic never touches a client's credits, and the read side never notifies for
 *       them. Every answer is rendered to JSON as a route would. Each start adds its events to
 *       these wallets' journals (a few tens of thousands): the cost of warming the persistence
 *       path for real.
 *   <li><b>HTTP</b>: requests over loopback through the real server, routes and JSON parsing,
 *       that change nothing: reads and spends on wallet ids that do not exist (128 random bits,
 *       answered 404 by the wallet) and bodies that fail validation (400).
 * </ul>
 *
 * Failures never stop the node: warm-up is best effort, and it ends at its limit whatever
 * happened. Readiness ({@link #isDone()}) turns true once it ended.
 */
public final class Warmup {
  private static final Logger log = LoggerFactory.getLogger(Warmup.class);

  private static final String CATEGORY = "sms";
  private static final long CREDITS = 1_000_000_000_000L;
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final int WALLETS = 8;
  /**
   * Rounds a wallet loop runs on one wallet before it moves to the next ({@code <wallet>.<n>}).
   * After ready, clients keep touching wallets the node has not started: each start is a
   * recovery, a stash while it runs and a first grant, often in a shard not started yet. With
   * the same few wallets for the whole warm-up, that code ran only at its beginning, C2 compiled
   * the hot paths without it, and the first new wallets after ready deoptimized them. Moving on
   * every 500 rounds cut C2's compilations in the 30 s after ready by about a tenth, at no cost
   * to the warm-up's length (docs/performance.md). The ids repeat from one start of the node to
   * the next, so their number stays bounded.
   */
  private static final int ROUNDS_PER_WALLET = 500;
  private static final Duration FIRST_ANSWER = Duration.ofSeconds(60);
  /** A progress line this often: a warm-up held back by a busy machine can take minutes. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  /**
   * How much warm-up: until {@code operations} are done (0: no count, time only), for at most
   * {@code maxDuration} (zero skips the warm-up), with {@code concurrency} loops of each kind.
   */
  public record Plan(long operations, Duration maxDuration, int concurrency) {
    public Plan {
      if (operations < 0) throw new IllegalArgumentException("wallet.warmup.operations must be 0 or more: " + operations);
      if (maxDuration.isNegative()) throw new IllegalArgumentException("wallet.warmup.max-duration must not be negative");
      if (concurrency < 1) throw new IllegalArgumentException("wallet.warmup.concurrency must be 1 or more: " + concurrency);
    }

    /** From the node's {@code wallet.warmup} section. */
    public static Plan from(com.typesafe.config.Config warmup) {
      return new Plan(warmup.getLong("operations"), warmup.getDuration("max-duration"), warmup.getInt("concurrency"));
    }

    boolean skips() {
      return maxDuration.isZero();
    }
  }

  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  /** Wallets the wallet loops set up so far (each loop's first, then one per ROUNDS_PER_WALLET rounds). */
  private final AtomicLong walletsSetUp = new AtomicLong();
  private final AtomicLong nextProgressAt = new AtomicLong(Long.MAX_VALUE);
  private volatile long operationsAtLastProgress;
  private volatile long started;
  private volatile long deadline;
  /** The loops have started (after a first wallet answered): {@link #started} is set. */
  private volatile boolean running;
  private volatile Plan plan;

  /** Not started yet: the node is not ready until {@link #start} has run to its end. */
  public Warmup() {}

  public boolean isDone() {
    return done.get();
  }

  /**
   * Why the node is not ready yet, while it warms up (empty once the warm-up ended): what it has
   * done of its count, so that an operator polling readiness during a long warm-up sees it move.
   */
  public Optional<String> progress() {
    if (done.get()) return Optional.empty();
    Plan p = plan;
    if (p == null || !running) return Optional.of("warming up: waiting for a first wallet to answer");
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    return Optional.of("warming up: " + soFar(operations.get(), p) + " in " + seconds + " s, at most "
        + p.maxDuration().toSeconds() + " s in all (WALLET_WARMUP_OPERATIONS, WALLET_WARMUP)");
  }

  /** "53,210 of 180,000 operations", or without the count when there is none. */
  private static String soFar(long n, Plan p) {
    return p.operations() > 0 ? String.format("%,d of %,d operations", n, p.operations()) : String.format("%,d operations", n);
  }

  /**
   * Starts warming up as {@code plan} says; {@code node} names this node's warm-up wallets;
   * {@code httpPort} 0 skips the HTTP loops. Returns at once.
   */
  public void start(WalletSharding wallets, int httpPort, String adminKey, String node, Plan plan) {
    if (plan.skips()) {
      done.set(true);
      return;
    }
    this.plan = plan;
    log.info("warming up before reporting ready: {}{} s (WALLET_WARMUP_OPERATIONS, WALLET_WARMUP; WALLET_WARMUP=0s skips it) ...",
        plan.operations() > 0 ? String.format("until %,d operations are done, for at most ", plan.operations()) : "for ",
        plan.maxDuration().toSeconds());
    String walletPrefix = "~warmup-" + node.replaceAll("[^A-Za-z0-9.:-]", "-") + "-";
    // The clock starts once sharding answers (a new cluster takes a few seconds to allocate
    // shards): time spent waiting for that warms nothing.
    firstAnswer(wallets, walletPrefix + 0, System.nanoTime() + FIRST_ANSWER.toNanos()).whenComplete((v, t) -> {
      if (t != null) {
        log.warn("warm-up skipped: no wallet answered within {} s", FIRST_ANSWER.toSeconds());
        done.set(true);
        return;
      }
      run(wallets, httpPort, adminKey, walletPrefix);
    });
  }

  private void run(WalletSharding wallets, int httpPort, String adminKey, String walletPrefix) {
    started = System.nanoTime();
    deadline = started + plan.maxDuration().toNanos();
    nextProgressAt.set(started + PROGRESS_EVERY.toNanos());
    running = true;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + httpPort;
    List<String> absent = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 4; i++) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      absent.add("warmup-" + HexFormat.of().formatHex(bytes));
    }
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (int i = 0; i < plan.concurrency(); i++) {
      String walletId = walletPrefix + (i % WALLETS);
      loops.add(walletLoop(wallets, walletId, "l" + i + "-" + Long.toHexString(random.nextLong())));
      // httpPort 0: the port speaks TLS, which a loopback client cannot verify; wallets only.
      if (httpPort > 0) loops.add(httpLoop(http, base, "Bearer " + adminKey, absent.get(i % absent.size()), i));
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
      double seconds = (System.nanoTime() - started) / 1e9;
      boolean counted = plan.operations() > 0 && operations.get() >= plan.operations();
      String end = counted ? String.format("its %,d operations done", plan.operations())
          : "its time limit of " + plan.maxDuration().toSeconds() + " s reached"
              + (plan.operations() > 0 ? ", short of its operations (it may run slower for a while)" : "");
      // The bench reads this line up to "ended: ...;" (WalletService.nodeWarmup): add after it.
      log.info("warm-up done: {} operations in {} s ({} failed), ended: {}; {} wallets set up; the node reports ready",
          operations.get(), String.format("%.1f", seconds), failures.get(), end, walletsSetUp.get());
      done.set(true);
    });
  }

  /** Whether the loops stop: the operations are done, or the time is up. */
  private boolean over() {
    long n = operations.get();
    long now = System.nanoTime();
    if (now >= nextProgressAt.get()) reportProgress(now, n);
    return (plan.operations() > 0 && n >= plan.operations()) || now >= deadline;
  }

  private void reportProgress(long now, long n) {
    long due = nextProgressAt.get();
    if (now < due || !nextProgressAt.compareAndSet(due, now + PROGRESS_EVERY.toNanos())) return;
    // The rate of the last interval, not the average: a warm-up held back at first (a restart
    // with a wave of expiries) shows when it has the CPU again.
    long sinceLast = n - operationsAtLastProgress;
    operationsAtLastProgress = n;
    log.info("warming up: {} in {} s ({}/s in the last {} s), {} s left at most", soFar(n, plan),
        (now - started) / 1_000_000_000L, String.format("%,d", sinceLast / PROGRESS_EVERY.toSeconds()),
        PROGRESS_EVERY.toSeconds(), Math.max(0, (deadline - now) / 1_000_000_000L));
  }

  /** Reads one warm-up wallet until it answers (or the deadline passes). */
  private static CompletableFuture<Void> firstAnswer(WalletSharding wallets, String walletId, long deadline) {
    return wallets.wallet(walletId)
        .<Outcome<Object>>ask(reply -> new WalletEntity.GetWallet(cast(reply)), Duration.ofSeconds(5))
        .toCompletableFuture()
        .handle((o, t) -> {
          if (t == null) return CompletableFuture.<Void>completedFuture(null);
          if (System.nanoTime() > deadline) return CompletableFuture.<Void>failedFuture(t);
          return firstAnswer(wallets, walletId, deadline);
        })
        .thenCompose(f -> f);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> ActorRef<Outcome<T>> cast(ActorRef reply) {
    return reply;
  }

  /**
   * One client of the wallet loop: the lifecycle of reservations, over and over, until {@link
   * #over}, on a wallet of its own that it leaves for the next every {@link #ROUNDS_PER_WALLET}
   * rounds (see there).
   */
  private CompletableFuture<Void> walletLoop(WalletSharding wallets, String walletId, String idPrefix) {
    CompletableFuture<Void> finished = new CompletableFuture<>();
    startWallet(wallets, walletId, idPrefix, 0, finished);
    return finished;
  }

  /** Sets up the loop's wallet for round {@code n} (its first use in this start) and runs the rounds. */
  private void startWallet(WalletSharding wallets, String loopWallet, String idPrefix, long n, CompletableFuture<Void> finished) {
    long generation = n / ROUNDS_PER_WALLET;
    String walletId = generation == 0 ? loopWallet : loopWallet + "." + generation;
    walletsSetUp.incrementAndGet();
    Function<Function<ActorRef<Outcome<Object>>, WalletEntity.Command>, CompletionStage<Object>> ask =
        command -> wallets.wallet(walletId).<Outcome<Object>>ask(command::apply, ASK)
            .thenApply(o -> {
              operations.incrementAndGet();
              Object body = o.isAccepted() ? o.value() : o.rejected();
              Json.response(o.isAccepted() ? StatusCodes.OK : StatusCodes.CONFLICT, body);
              return body;
            });
    @SuppressWarnings({"unchecked", "rawtypes"})
    CompletionStage<Object> setUp = ask.apply(reply -> new WalletEntity.Configure(
            new WalletSettings.SettingsUpdate(null, null, null, null), (ActorRef) reply))
        .thenCompose(x -> ask.apply(reply -> new WalletEntity.IssueGrant(new GrantRequest(
            "warmup-credit", CATEGORY, CREDITS, GrantSource.PROMO, null, null, null, 0, false), (ActorRef) reply)));
    setUp.whenComplete((x, t) -> round(ask, wallets, loopWallet, walletId, idPrefix, n, finished));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void round(
      Function<Function<ActorRef<Outcome<Object>>, WalletEntity.Command>, CompletionStage<Object>> ask,
      WalletSharding wallets, String loopWallet, String walletId, String idPrefix, long n,
      CompletableFuture<Void> finished) {
    if (over()) {
      finished.complete(null);
      return;
    }
    String id = idPrefix + "-" + n;
    List<Line> one = List.of(new Line(CATEGORY, 1));
    ReservationKind kind = n % 5 == 4 ? ReservationKind.DEBIT : ReservationKind.HOLD;
    CompletionStage<Object> step = ask.apply(reply -> new WalletEntity.Reserve(
        new ReserveRequest(id, one, null, 300, false, "warmup"), kind, (ActorRef) reply));
    if (kind == ReservationKind.HOLD) {
      step = step.thenCompose(x -> n % 3 == 0
          ? ask.apply(reply -> new WalletEntity.Release(id, (ActorRef) reply))
          : ask.apply(reply -> new WalletEntity.Commit(id, null, (ActorRef) reply)));
    }
    if (n % 7 == 1) {
      step = step.thenCompose(x -> ask.apply(reply ->
          new WalletEntity.Refund(id, new RefundRequest("f-" + id, one, "BOUNCE"), (ActorRef) reply)));
    }
    if (n % 11 == 0) {
      step = step.thenCompose(x -> ask.apply(reply -> new WalletEntity.GetWallet((ActorRef) reply)));
    }
    if (n % 13 == 0) {
      List<WalletEntity.BatchItem> items = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        items.add(new WalletEntity.ReserveItem(
            new ReserveRequest(id + "-b" + i, one, null, 300, false, null), null, ReservationKind.HOLD));
      }
      for (int i = 0; i < 20; i++) items.add(new WalletEntity.CommitItem(id + "-b" + i, null));
      step = step.thenCompose(x -> wallets.wallet(walletId)
          .<WalletEntity.BatchResults>ask(reply -> new WalletEntity.Batch(items, reply), ASK)
          .thenApply(r -> {
            operations.incrementAndGet();
            return Json.response(StatusCodes.OK, r.results());
          }));
    }
    step.whenComplete((x, t) -> {
      if (t != null) failures.incrementAndGet();
      if ((n + 1) % ROUNDS_PER_WALLET == 0) startWallet(wallets, loopWallet, idPrefix, n + 1, finished);
      else round(ask, wallets, loopWallet, walletId, idPrefix, n + 1, finished);
    });
  }

  /** One client of the HTTP loop: requests that are answered without changing anything. */
  private CompletableFuture<Void> httpLoop(
      HttpClient http, String base, String auth, String absentWallet, int loop) {
    CompletableFuture<Void> finished = new CompletableFuture<>();
    httpRound(http, base, auth, absentWallet, loop, 0, finished);
    return finished;
  }

  private void httpRound(
      HttpClient http, String base, String auth, String wallet, int loop, long n, CompletableFuture<Void> finished) {
    if (over()) {
      finished.complete(null);
      return;
    }
    String id = "w" + loop + "-" + n;
    String one = "{\"category\":\"sms\",\"amount\":1}";
    HttpRequest request = switch ((int) (n % 6)) {
      case 0 -> post(base + "/v1/wallets/" + wallet + "/reservations", auth,
          "{\"reservationId\":\"" + id + "\",\"lines\":[" + one + "]}");
      case 1 -> post(base + "/v1/wallets/" + wallet + "/reservations/" + id + "/commit", auth, "{}");
      case 2 -> HttpRequest.newBuilder(URI.create(base + "/v1/wallets/" + wallet))
          .header("Authorization", auth).timeout(ASK).GET().build();
      case 3 -> post(base + "/v1/wallets/" + wallet + "/reservations", auth,
          "{\"reservationId\":\"" + id + "\",\"lines\":[{\"category\":\"sms\",\"amount\":0}]}");
      case 4 -> post(base + "/v1/batch", auth, "{\"requests\":[{\"walletId\":\"" + wallet
          + "\",\"op\":\"reserve\",\"body\":{\"reservationId\":\"" + id + "\",\"lines\":[" + one + "]}}]}");
      default -> post(base + "/v1/wallets/" + wallet + "/debits", auth,
          "{\"debitId\":\"" + id + "\",\"lines\":[" + one + "]}");
    };
    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .orTimeout(ASK.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, t) -> {
          if (t != null || r.statusCode() >= 500) failures.incrementAndGet();
          else operations.incrementAndGet();
          httpRound(http, base, auth, wallet, loop, n + 1, finished);
        });
  }

  private static HttpRequest post(String url, String auth, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", auth)
        .header("Content-Type", "application/json")
        .timeout(ASK)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** For tests and logs: what the warm-up did so far. */
  public Map<String, Long> counts() {
    return Map.of("operations", operations.get(), "failures", failures.get(), "wallets", walletsSetUp.get());
  }
}
