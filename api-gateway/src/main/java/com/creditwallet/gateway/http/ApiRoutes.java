package com.creditwallet.gateway.http;

import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
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
 * The whole HTTP API: health without auth, everything under /v1 behind the bearer key, and one
 * place that turns every failure (rejection, exception, unknown path, oversized body) into a
 * problem+json answer, so no stack trace or HTML error page ever reaches a client.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final HealthRoutes health;
  private final WalletRoutes walletRoutes;
  private final ReservationRoutes reservationRoutes;
  private final PlanRoutes planRoutes;
  private final BatchRoutes batchRoutes;
  private final LedgerRoutes ledgerRoutes;
  private final EventsRoutes eventsRoutes;
  private final WebhookRoutes webhookRoutes;
  private final MetricsRoutes metricsRoutes;
  private final byte[] adminKey;

  public ApiRoutes(
      ActorSystem<?> system, WalletSharding wallets, String adminKey, Duration askTimeout, int batchChunk,
      java.util.function.BooleanSupplier warmedUp) {
    this.health = new HealthRoutes(system, wallets, askTimeout, warmedUp);
    this.walletRoutes = new WalletRoutes(wallets, askTimeout);
    this.reservationRoutes = new ReservationRoutes(wallets, askTimeout);
    this.planRoutes = new PlanRoutes(wallets, askTimeout);
    this.batchRoutes = new BatchRoutes(wallets, askTimeout, batchChunk);
    this.ledgerRoutes = new LedgerRoutes(system, wallets, askTimeout);
    this.eventsRoutes = new EventsRoutes(system, wallets, askTimeout);
    this.webhookRoutes = new WebhookRoutes(system);
    this.metricsRoutes = new MetricsRoutes(() -> com.creditwallet.gateway.NodeMetrics.get(system).registry());
    this.adminKey = adminKey.getBytes(StandardCharsets.UTF_8);
  }

  public Route routes() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        health.routes(),
        metricsRoutes.routes(),
        // Hot routes first: concat tries alternatives in order, and every miss costs directive
        // objects and rejections on each request (JFR: routing was a quarter of the node's CPU).
        pathPrefix("v1", () -> authenticated(() -> concat(
            reservationRoutes.routes(),
            walletRoutes.routes(),
            planRoutes.routes(),
            batchRoutes.routes(),
            ledgerRoutes.routes(),
            eventsRoutes.routes(),
            webhookRoutes.routes()))))));
  }

  /** Admin bearer key, compared in constant time. Account keys come with their own issue. */
  private Route authenticated(java.util.function.Supplier<Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> key = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim());
      if (key.isEmpty() || !MessageDigest.isEqual(key.get().getBytes(StandardCharsets.UTF_8), adminKey)) {
        HttpResponse unauthorized =
            Problems.of(401, "UNAUTHORIZED", "a valid 'Authorization: Bearer <key>' header is required", Map.of())
                .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "wallet")));
        return complete(unauthorized);
      }
      return inner.get();
    });
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(Rejection.class, r -> complete(Problems.of(r)))
        .match(EntityStreamSizeException.class, e -> complete(tooLarge()))
        .matchAny(t -> {
          if (t.getCause() instanceof EntityStreamSizeException) return complete(tooLarge());
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
