package com.creditwallet.gateway.cluster;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;

/**
 * How a starting node finds its cluster, decided once from the assembled config (see
 * {@link com.creditwallet.gateway.NodeConfig}): seed nodes join by themselves; a bootstrap list
 * starts Pekko Management cluster bootstrap (which needs the management HTTP server, started by
 * the main class, to answer the other nodes' probes); with neither, the node is a cluster of one.
 */
public final class ClusterJoin {
  /** Where NodeConfig puts WALLET_BOOTSTRAP_NODES for config-based discovery. */
  public static final String BOOTSTRAP_ENDPOINTS = "pekko.discovery.config.services.wallet.endpoints";

  public enum Mode { SEED_NODES, BOOTSTRAP, ALONE }

  private ClusterJoin() {}

  public static Mode mode(Config config) {
    if (!config.getStringList("pekko.cluster.seed-nodes").isEmpty()) return Mode.SEED_NODES;
    if (config.hasPath(BOOTSTRAP_ENDPOINTS) && !config.getList(BOOTSTRAP_ENDPOINTS).isEmpty()) return Mode.BOOTSTRAP;
    return Mode.ALONE;
  }

  public static Mode start(ActorSystem<?> system) {
    Mode mode = mode(system.settings().config());
    switch (mode) {
      case SEED_NODES -> { } // Pekko joins the configured seed nodes by itself.
      case BOOTSTRAP -> ClusterBootstrap.get(system).start();
      case ALONE -> {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
    }
    system.log().info("joining the cluster by {}", mode);
    return mode;
  }
}
