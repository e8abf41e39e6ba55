package com.creditwallet.gateway.http;

import com.creditwallet.flow.Admission;
import com.creditwallet.gateway.auth.AccessGate;
import com.creditwallet.gateway.auth.AccountKeyFormat;
import com.creditwallet.gateway.auth.AccountKeys;
import com.creditwallet.gateway.auth.AdminKeys;
import com.creditwallet.gateway.auth.ApiKeyRoutes;
import com.creditwallet.gateway.auth.ApiKeyStore;
import com.creditwallet.gateway.auth.CassandraApiKeyStore;
import com.creditwallet.gateway.auth.Endpoints;
import com.creditwallet.gateway.auth.KeyCache;
import com.creditwallet.gateway.auth.KeyCachePoller;
import com.creditwallet.gateway.auth.KeyRateLimiter;
import com.creditwallet.gateway.auth.KeySettings;
import com.creditwallet.gateway.auth.PlanAccess;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.Rejection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole HTTP API: every request goes through the {@link AccessGate} (the route table, keys,
 * rights, rate limits, plan gating), then to the route classes; one place turns every failure
 * (rejection, exception, unknown path, oversized body) into a problem+json answer, so no stack
 * trace or HTML error page ever reaches a client.
 *
 * <p>Adding a route class: construct it here, add its {@code routes()} to {@link #routes()} (one
 * line), and its paths to {@link Endpoints} and openapi.yaml (the gate serves nothing else).
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final HealthRoutes health;
  private final OpenApiRoutes openApi;
  private final WalletRoutes walletRoutes;
  private final ReservationRoutes reservationRoutes;
  private final PlanRoutes planRoutes;
  private final BatchRoutes batchRoutes;
  private final LedgerRoutes ledgerRoutes;
  private final EventsRoutes eventsRoutes;
  private final WebhookRoutes webhookRoutes;
  private final MetricsRoutes metricsRoutes;
  private final ApiKeyRoutes apiKeyRoutes;
  private final AccessGate gate;
  private final RequestDeadlines deadlines;

  public ApiRoutes(
      ActorSystem<?> system, WalletSharding wallets, AdminKeys admins, KeySettings keySettings,
      Duration askTimeout, java.util.function.Supplier<java.util.Optional<String>> warming) {
    this.health = new HealthRoutes(system, wallets, askTimeout, warming);
    this.openApi = new OpenApiRoutes();
    this.walletRoutes = new WalletRoutes(wallets, askTimeout);
    this.reservationRoutes = new ReservationRoutes(wallets, askTimeout);
    this.planRoutes = new PlanRoutes(wallets, askTimeout);
    // The batch settings are read here, together (wallet.http in application.conf).
    com.typesafe.config.Config http = system.settings().config().getConfig("wallet.http");
    this.batchRoutes = new BatchRoutes(wallets, askTimeout, http.getInt("batch-chunk"),
        new Admission(http.getInt("batch-max-asks")), http.getDuration("batch-admission-wait"));
    this.ledgerRoutes = new LedgerRoutes(system, wallets, askTimeout);
    this.eventsRoutes = new EventsRoutes(system, wallets, askTimeout);
    this.webhookRoutes = new WebhookRoutes(system);
    Duration requestTimeout = http.getDuration("request-timeout");
    this.deadlines = new RequestDeadlines(requestTimeout, Problems.timedOut(), System::nanoTime);
    Duration sweep = RequestDeadlines.sweepInterval(requestTimeout);
    system.scheduler().scheduleAtFixedRate(sweep, sweep, deadlines::sweep, system.executionContext());
    this.metricsRoutes = new MetricsRoutes(() -> com.creditwallet.gateway.NodeMetrics.get(system).registry());

    String keyspace = system.settings().config().getString("wallet.cassandra.keyspace");
    ApiKeyStore store = new CassandraApiKeyStore(system, keyspace);
    KeyRateLimiter limiter = new KeyRateLimiter(keySettings.ratePerSecond(), keySettings.burst(), System::nanoTime);
    KeyRateLimiter missLookups = keySettings.missLookupsPerSecond() <= 0 ? null : new KeyRateLimiter(
        keySettings.missLookupsPerSecond(), (int) Math.max(1, keySettings.missLookupsPerSecond()), System::nanoTime);
    AccountKeys keys = new AccountKeys(store, new KeyCache(), new AccountKeyFormat(new SecureRandom()), missLookups, Clock.systemUTC());
    keys.onRevoked(limiter::forget);
    KeyCachePoller.start(system, store, keys, keySettings.pollWindow(), keySettings.pollInterval(), Clock.systemUTC());
    PlanAccess plans = new PlanAccess(walletId -> planAnswer(wallets, walletId, askTimeout), keySettings.planCheckTtl(), System::nanoTime);
    this.apiKeyRoutes = new ApiKeyRoutes(wallets, askTimeout, keys);
    this.gate = new AccessGate(Endpoints.ALL, admins, keys, limiter, plans);
  }

  /** The turns of POST /v1/batch's wallet asks, see {@link BatchRoutes#admission()}. */
  public Admission batchAdmission() {
    return batchRoutes.admission();
  }

  /**
   * The whole API, built once. The Java DSL calls a directive's inner supplier on every request,
   * so the route tree, the rejection handler and the exception handler are built here and the
   * suppliers only hand them out; built inside the suppliers, every request rebuilt all of them.
   */
  public Route routes() {
    // Hot routes first: concat tries alternatives in order, and every miss costs directive
    // objects and rejections on each request (JFR: routing was a quarter of the node's CPU).
    Route v1 = concat(
        reservationRoutes.routes(),
        walletRoutes.routes(),
        planRoutes.routes(),
        batchRoutes.routes(),
        ledgerRoutes.routes(),
        eventsRoutes.routes(),
        webhookRoutes.routes(),
        apiKeyRoutes.routes());
    Route api = concat(health.routes(), metricsRoutes.routes(), openApi.routes(), pathPrefix("v1", () -> v1));
    Route guarded = gate.guard(() -> api);
    RejectionHandler rejections = rejections();
    ExceptionHandler exceptions = exceptions();
    Route handled = handleExceptions(exceptions, () -> handleRejections(rejections, () -> guarded));
    return mapRouteResultFuture(deadlines::guard, () -> handled);
  }

  /** Whether the wallet's own copy of its plan allows account keys (an unknown wallet: the route answers 404). */
  private static CompletionStage<PlanAccess.Answer> planAnswer(WalletSharding wallets, String walletId, Duration timeout) {
    return WalletAsk.<WalletView>askWallet(wallets, walletId, WalletEntity.GetWallet::new, timeout).handle((w, failure) -> {
      if (failure != null) {
        Throwable t = failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof Rejection ? PlanAccess.Answer.ALLOWED : PlanAccess.Answer.UNAVAILABLE;
      }
      WalletViews.PlanView plan = w.plan();
      boolean allowed = plan == null || plan.features() == null || plan.features().getOrDefault("apiAccess", true);
      return allowed ? PlanAccess.Answer.ALLOWED : PlanAccess.Answer.NOT_IN_PLAN;
    });
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(Rejection.class, r -> complete(Problems.of(r)))
        .match(EntityStreamSizeException.class, e -> complete(tooLarge()))
        .matchAny(t -> {
          if (t.getCause() instanceof EntityStreamSizeException) return complete(tooLarge());
          Optional<HttpResponse> clientFault = Problems.ofRequestFault(t);
          if (clientFault.isPresent()) return complete(clientFault.get());
          log.error("unhandled error in a request", t);
          return complete(Problems.of(500, "INTERNAL_ERROR", "an internal error occurred", Map.of()));
        })
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rs -> complete(Problems.of(405, "METHOD_NOT_ALLOWED",
            "this path does not accept that method", Map.of())))
        .handle(MalformedRequestContentRejection.class, r -> complete(
            r.getCause() instanceof EntityStreamSizeException
                ? tooLarge()
                : Problems.invalid("body", "could not be read")))
        .handle(org.apache.pekko.http.javadsl.server.Rejection.class, r -> complete(
            Problems.of(400, Rejection.INVALID_REQUEST, "the request was not understood", Map.of())))
        .handleNotFound(complete(Problems.of(404, "NOT_FOUND", "no such resource", Map.of())))
        .build();
  }

  private static HttpResponse tooLarge() {
    return Problems.of(413, "PAYLOAD_TOO_LARGE", "request bodies are limited to 1 MiB", Map.of());
  }
}
