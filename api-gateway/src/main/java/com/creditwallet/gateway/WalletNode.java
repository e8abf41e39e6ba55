package com.creditwallet.gateway;

import com.creditwallet.flow.Admission;
import com.creditwallet.gateway.auth.AdminKeys;
import com.creditwallet.gateway.auth.KeySettings;
import com.creditwallet.gateway.cluster.ClusterJoin;
import com.creditwallet.gateway.http.ApiRoutes;
import com.creditwallet.gateway.http.HttpMetrics;
import com.creditwallet.ledger.ReadSide;
import com.creditwallet.wallet.WalletSharding;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * One running node: actor system, cluster membership, wallet sharding and the HTTP server (TLS
 * when a keystore is configured, see {@link HttpsSetup}). Used
 * by the main classes and by the integration tests, so tests run exactly what production runs.
 * Stopping goes through coordinated shutdown: the HTTP port unbinds, in-flight requests finish,
 * shards hand off, then the system terminates.
 */
public final class WalletNode implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final boolean https;
  private final Warmup warmup;
  private final Admission batchAdmission;

  private WalletNode(ActorSystem<Void> system, ServerBinding binding, boolean https, Warmup warmup,
      Admission batchAdmission) {
    this.system = system;
    this.binding = binding;
    this.https = https;
    this.warmup = warmup;
    this.batchAdmission = batchAdmission;
  }

  /** Starts a node from a fully assembled config (see {@link NodeConfig}). */
  public static WalletNode start(Config config) {
    // Everything that can be wrong in the config is checked before anything starts.
    AdminKeys admins = AdminKeys.parse(config.getString("wallet.http.admin-key"));
    KeySettings keys = KeySettings.from(config.getConfig("wallet.keys"));
    Optional<HttpsConnectionContext> https = HttpsSetup.fromConfig(config.getConfig("wallet.http.tls"));
    Warmup.Plan warmupPlan = Warmup.Plan.from(config.getConfig("wallet.warmup"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "wallet", config);
    try {
      Cluster cluster = Cluster.get(system);
      NodeMetrics metrics = NodeMetrics.start(system);
      ReadSide readSide = ReadSide.start(system, Clock.systemUTC());
      WalletSharding wallets = WalletSharding.init(system, Clock.systemUTC(), readSide.ledgerFeed());
      metrics.watch(readSide.watch(wallets));
      Duration askTimeout = config.getDuration("wallet.http.ask-timeout");
      Warmup warmup = new Warmup();
      ApiRoutes routes = new ApiRoutes(
          system, wallets, admins, keys, askTimeout, warmup::progress);
      ServerBuilder server =
          Http.get(system).newServerAt(config.getString("wallet.http.interface"), config.getInt("wallet.http.port"));
      if (https.isPresent()) server = server.enableHttps(https.get());
      ServerBinding binding =
          server
              .bind(new HttpMetrics(metrics.registry()).instrument(routes.routes()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      ClusterJoin.start(system); // once Cassandra answers: see ClusterJoin
      system.log().info("wallet node up: {} on {}, cluster address {}, {} admin key(s)",
          https.isPresent() ? "HTTPS" : "HTTP", binding.localAddress(), cluster.selfMember().address(), admins.count());
      warmup.start(wallets, https.isPresent() ? 0 : binding.localAddress().getPort(),
          AdminKeys.first(config.getString("wallet.http.admin-key")),
          cluster.selfMember().address().hostPort(), warmupPlan);
      return new WalletNode(system, binding, https.isPresent(), warmup, routes.batchAdmission());
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("the node could not start: " + e.getMessage(), e);
    }
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /** "https" when the port speaks TLS, else "http". */
  public String scheme() {
    return https ? "https" : "http";
  }

  /** The warm-up before readiness: whether it ended, and what it did. */
  public Warmup warmup() {
    return warmup;
  }

  /**
   * The turns of POST /v1/batch's wallet asks on this node. Tests take the only turn to hold it
   * busy for as long as they need, which a real ask in flight cannot promise.
   */
  public Admission batchAdmission() {
    return batchAdmission;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Stops the node and waits for it (at most a minute). */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the node did not stop in time", e);
    }
  }
}
