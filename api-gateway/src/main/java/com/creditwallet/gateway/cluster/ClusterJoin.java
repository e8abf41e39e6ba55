package com.creditwallet.gateway.cluster;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * How a starting node finds its cluster, decided from the assembled config (see
 * {@link com.creditwallet.gateway.NodeConfig}): seed nodes ({@value #SEED_NODES}); a bootstrap
 * list, which starts Pekko Management cluster bootstrap (it needs the management HTTP server,
 * started by the main class, to answer the other nodes' probes); or neither: a cluster of one.
 *
 * <p>A node joins only once Cassandra answers and its journal is started. Shards move to a node
 * as soon as it is Up; a node still connecting (a cold JVM can take seconds) would leave the
 * wallets it was given waiting, and their requests would time out. So seed nodes are not in
 * {@code pekko.cluster.seed-nodes}, which would join at once when the actor system starts.
 */
public final class ClusterJoin {
  /** Where NodeConfig puts WALLET_SEED_NODES ("pekko://wallet@host:port" each). */
  public static final String SEED_NODES = "wallet.cluster.seed-nodes";
  /** Where NodeConfig puts WALLET_BOOTSTRAP_NODES for config-based discovery. */
  public static final String BOOTSTRAP_ENDPOINTS = "pekko.discovery.config.services.wallet.endpoints";

  private static final Duration WARM_UP_RETRY = Duration.ofSeconds(1);

  public enum Mode { SEED_NODES, BOOTSTRAP, ALONE }

  private ClusterJoin() {}

  public static Mode mode(Config config) {
    if (config.hasPath(SEED_NODES) && !config.getStringList(SEED_NODES).isEmpty()) return Mode.SEED_NODES;
    if (config.hasPath(BOOTSTRAP_ENDPOINTS) && !config.getList(BOOTSTRAP_ENDPOINTS).isEmpty()) return Mode.BOOTSTRAP;
    return Mode.ALONE;
  }

  /** Joins once the node can serve its wallets; returns at once. */
  public static Mode start(ActorSystem<?> system) {
    Config config = system.settings().config();
    Mode mode = mode(config);
    warmUp(system).thenRun(() -> {
      system.log().info("Cassandra answers and the journal is started: joining the cluster by {}", mode);
      Cluster cluster = Cluster.get(system);
      switch (mode) {
        case SEED_NODES -> {
          List<Address> seeds = config.getStringList(SEED_NODES).stream().map(AddressFromURIString::parse).toList();
          cluster.manager().tell(new JoinSeedNodes(seeds));
        }
        case BOOTSTRAP -> ClusterBootstrap.get(system).start();
        case ALONE -> cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
    });
    return mode;
  }

  /** Starts the journal and snapshot plugins and waits (retrying) until Cassandra answers. */
  private static CompletionStage<Void> warmUp(ActorSystem<?> system) {
    Persistence persistence = Persistence.get(system.classicSystem());
    persistence.journalFor("", com.typesafe.config.ConfigFactory.empty());
    persistence.snapshotStoreFor("", com.typesafe.config.ConfigFactory.empty());
    var session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] attempt = new Runnable[1];
    attempt[0] = () -> session.selectOne("SELECT release_version FROM system.local").whenComplete((row, failure) -> {
      if (failure == null) {
        done.complete(null);
      } else {
        system.log().warn("Cassandra does not answer yet ({}); the node joins once it does", failure.toString());
        system.scheduler().scheduleOnce(WARM_UP_RETRY, attempt[0], system.executionContext());
      }
    });
    attempt[0].run();
    return done;
  }
}
