package com.creditwallet.gateway.http;

import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.Rejection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Liveness and readiness. Ready means: this node is an Up cluster member and warmed up; a wallet
 * round trip through sharding answers (it asks a probe wallet, whose id has a '~', which no client
 * wallet id can contain); and the journal takes a write ({@link JournalProbe}). Both probes must
 * answer within {@link #PROBE_TIMEOUT}, so a node whose Cassandra is gone reports 503 within
 * seconds (reading alone would not notice: a recovered entity answers from memory).
 * Each node has its own probe wallet (named after its address): with one probe for all, the
 * crash of the node hosting it would make every node unready at once, and a load balancer would
 * drop the whole cluster.
 */
public final class HealthRoutes extends AllDirectives {
  static final String PROBE_WALLET = "~ready-probe";

  /** Well under the 10 s within which readiness must fail when the journal cannot be written. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final WalletSharding wallets;
  private final Duration timeout;
  private final Supplier<Optional<String>> warming;

  /**
   * {@code warming}: while the node warms up (see the gateway's Warmup), how far it has got; the
   * node is not ready until it answers empty.
   */
  public HealthRoutes(ActorSystem<?> system, WalletSharding wallets, Duration timeout, Supplier<Optional<String>> warming) {
    this.system = system;
    this.wallets = wallets;
    this.timeout = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
    this.warming = warming;
  }

  public Route routes() {
    return pathPrefix("health", () -> concat(
        path("alive", () -> get(() -> complete(Json.response(StatusCodes.OK, Map.of("status", "UP"))))),
        path("ready", () -> get(() -> completeWithFuture(ready())))));
  }

  private CompletionStage<HttpResponse> ready() {
    if (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      return CompletableFuture.completedFuture(notReady("cluster membership is not Up yet"));
    }
    Optional<String> warmingUp = warming.get();
    if (warmingUp.isPresent()) return CompletableFuture.completedFuture(notReady(warmingUp.get()));
    String probe = PROBE_WALLET + "-" + Cluster.get(system).selfMember().address().hostPort();
    CompletableFuture<String> sharding = WalletAsk.<WalletView>askWallet(wallets, probe, WalletEntity.GetWallet::new, timeout)
        .handle((ok, failure) -> {
          Throwable t = failure != null && failure.getCause() != null ? failure.getCause() : failure;
          // WALLET_NOT_FOUND is the expected answer: sharding and the entity answered.
          return failure == null || t instanceof Rejection ? null : "a wallet did not answer: " + t.getClass().getSimpleName();
        }).toCompletableFuture();
    CompletableFuture<String> journal = AskPattern.<JournalProbe.Check, Done>ask(
            JournalProbe.of(system), JournalProbe.Check::new, timeout, system.scheduler())
        .handle((done, failure) -> failure == null ? null
            : "the journal did not take a write within " + timeout.toSeconds() + " s")
        .toCompletableFuture();
    return sharding.thenCombine(journal, (s, j) -> {
      if (s == null && j == null) return Json.response(StatusCodes.OK, Map.of("status", "READY", "readSide", readSide()));
      return notReady(j != null ? j : s);
    });
  }

  /** Detail only (never decides readiness): how far this node's ledger feeds are behind. */
  private Map<String, Object> readSide() {
    try {
      var lag = com.creditwallet.ledger.ReadSide.get(system).lag();
      return Map.of("projectionLagMs", lag.millis());
    } catch (IllegalStateException notStarted) {
      return Map.of();
    }
  }

  private static HttpResponse notReady(String why) {
    return Problems.of(503, "NOT_READY", why, Map.of());
  }
}
