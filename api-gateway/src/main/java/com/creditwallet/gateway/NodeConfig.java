package com.creditwallet.gateway;

import com.creditwallet.gateway.cluster.ClusterJoin;
import com.creditwallet.persistence.PersistenceConfig;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Assembles a node's config: explicit overrides, then the environment (contact points, seed
 * nodes), then application.conf. Environment values that are lists ("a,b") cannot be split by
 * HOCON, which is why this is code and not only config.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static Config fromEnvironment(Config overrides) {
    Config env = PersistenceConfig.fromEnvironment();
    String seeds = System.getenv("WALLET_SEED_NODES");
    if (seeds != null && !seeds.isBlank()) {
      // Not pekko.cluster.seed-nodes: ClusterJoin joins them once the node can serve wallets.
      env = ConfigFactory.parseMap(Map.of(ClusterJoin.SEED_NODES, seedNodes(seeds))).withFallback(env);
    }
    String bootstrap = System.getenv("WALLET_BOOTSTRAP_NODES");
    if (bootstrap != null && !bootstrap.isBlank()) {
      env = bootstrap(bootstrap, System.getenv("WALLET_BOOTSTRAP_REQUIRED")).withFallback(env);
    }
    return overrides.withFallback(env).withFallback(ConfigFactory.load()).resolve();
  }

  /**
   * Cluster bootstrap with config-based discovery: "host:port,..." are the nodes' management
   * endpoints. A new cluster forms only once {@code required} of them (default: all) answer, so
   * nodes started at the same time agree on one cluster; later nodes join the existing one.
   */
  static Config bootstrap(String csv, String required) {
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (s.isBlank()) continue;
      String hp = s.trim();
      int colon = hp.lastIndexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("WALLET_BOOTSTRAP_NODES: expected host:port, not '" + hp + "'");
      endpoints.add(Map.of("host", hp.substring(0, colon), "port", Integer.parseInt(hp.substring(colon + 1))));
    }
    int nr = required == null || required.isBlank() ? endpoints.size() : Integer.parseInt(required.trim());
    return ConfigFactory.parseMap(Map.of(
        "pekko.discovery.config.services.wallet.endpoints", endpoints,
        "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr", nr));
  }

  /** "host:port,host:port" to Pekko seed-node addresses of the "wallet" actor system. */
  static List<String> seedNodes(String csv) {
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) out.add("pekko://wallet@" + s.trim());
    }
    return out;
  }
}
