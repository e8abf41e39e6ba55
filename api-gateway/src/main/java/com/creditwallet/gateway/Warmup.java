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
 * <p>Two loops run side by side until the deadline:
 *
 * <ul>
 *   <li><b>Wallets</b>: reserve, commit, release, debit, refund, batch, read, through sharding
 *       and the real journal, on wallets {@code ~warmup-<node>-<i>}. The {@code '~'} makes them
 *       unreachable from the API (no client id can contain it), so warm-up traffic never touches
 *       a client's credits. Every answer is rendered to JSON as a route would. Each start adds
 *       its events to these wallets' journals (a few tens of thousands): the cost of warming the
 *       persistence path for real.
 *   <li><b>HTTP</b>: requests over loopback through the real server, routes and JSON parsing,
 *       that change nothing: reads and spends on wallet ids that do not exist (128 random bits,
 *       answered 404 by the wallet) and bodies that fail validation (400).
 * </ul>
 *
 * Failures never stop the node: warm-up is best effort, and it ends at its deadline whatever
 * happened. Readiness ({@link #isDone()}) turns true once it ended.
 */
public final class Warmup {
  private static final Logger log = LoggerFactory.getLogger(Warmup.class);

  private static final String CATEGORY = "sms";
  private static final long CREDITS = 1_000_000_000_000L;
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final int WALLETS = 8;
  private static final Duration FIRST_ANSWER = Duration.ofSeconds(60);

  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /** Not started yet: the node is not ready until {@link #start} has run to its deadline. */
  public Warmup() {}

  public boolean isDone() {
    return done.get();
  }

  /**
   * Starts warming up for {@code duration} with {@code concurrency} loops of each kind;
   * {@code node} names this node's warm-up wallets. Returns at once.
   */
  public void start(
      WalletSharding wallets, int httpPort, String adminKey, String node, Duration duration, int concurrency) {
    if (duration.isZero() || duration.isNegative()) {
      done.set(true);
      return;
    }
    log.info("warming up for {} s before reporting ready (WALLET_WARMUP; 0s to skip) ...", duration.toSeconds());
    String walletPrefix = "~warmup-" + node.replaceAll("[^A-Za-z0-9.:-]", "-") + "-";
    // The clock starts once sharding answers (a new cluster takes a few seconds to allocate
    // shards): time spent waiting for that warms nothing.
    firstAnswer(wallets, walletPrefix + 0, System.nanoTime() + FIRST_ANSWER.toNanos()).whenComplete((v, t) -> {
      if (t != null) {
        log.warn("warm-up skipped: no wallet answered within {} s", FIRST_ANSWER.toSeconds());
        done.set(true);
        return;
      }
      run(wallets, httpPort, adminKey, walletPrefix, duration, concurrency);
    });
  }

  private void run(
      WalletSharding wallets, int httpPort, String adminKey, String walletPrefix, Duration duration, int concurrency) {
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
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
    for (int i = 0; i < concurrency; i++) {
      String walletId = walletPrefix + (i % WALLETS);
      loops.add(walletLoop(wallets, walletId, "l" + i + "-" + Long.toHexString(random.nextLong()), deadline));
      loops.add(httpLoop(http, base, "Bearer " + adminKey, absent.get(i % absent.size()), i, deadline));
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
      done.set(true);
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info("warm-up done: {} operations in {} s ({} failed); the node reports ready",
          operations.get(), String.format("%.1f", seconds), failures.get());
    });
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

  /** One client of the wallet loop: the lifecycle of reservations, over and over, until the deadline. */
  private CompletableFuture<Void> walletLoop(WalletSharding wallets, String walletId, String idPrefix, long deadline) {
    CompletableFuture<Void> finished = new CompletableFuture<>();
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
    setUp.whenComplete((x, t) -> round(ask, wallets, walletId, idPrefix, 0, deadline, finished));
    return finished;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void round(
      Function<Function<ActorRef<Outcome<Object>>, WalletEntity.Command>, CompletionStage<Object>> ask,
      WalletSharding wallets, String walletId, String idPrefix, long n, long deadline,
      CompletableFuture<Void> finished) {
    if (System.nanoTime() >= deadline) {
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
      round(ask, wallets, walletId, idPrefix, n + 1, deadline, finished);
    });
  }

  /** One client of the HTTP loop: requests that are answered without changing anything. */
  private CompletableFuture<Void> httpLoop(
      HttpClient http, String base, String auth, String absentWallet, int loop, long deadline) {
    CompletableFuture<Void> finished = new CompletableFuture<>();
    httpRound(http, base, auth, absentWallet, loop, 0, deadline, finished);
    return finished;
  }

  private void httpRound(
      HttpClient http, String base, String auth, String wallet, int loop, long n, long deadline,
      CompletableFuture<Void> finished) {
    if (System.nanoTime() >= deadline) {
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
          httpRound(http, base, auth, wallet, loop, n + 1, deadline, finished);
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
    return Map.of("operations", operations.get(), "failures", failures.get());
  }
}
