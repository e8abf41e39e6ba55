package com.creditwallet.gateway;

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
      env = ConfigFactory.parseMap(Map.of("pekko.cluster.seed-nodes", seedNodes(seeds))).withFallback(env);
    }
    return overrides.withFallback(env).withFallback(ConfigFactory.load()).resolve();
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
