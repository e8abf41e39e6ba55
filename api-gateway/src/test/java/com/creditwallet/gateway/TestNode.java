package com.creditwallet.gateway;

import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/** Starts a real node (HTTP + sharding + Cassandra journal) on free ports for a test. */
final class TestNode {
  static final String ADMIN_KEY = "it-admin-key";

  private TestNode() {}

  static Config config(CassandraTestKeyspace keyspace, Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.parseMap(Map.of(
            "wallet.http.port", 0,
            "wallet.http.admin-key", ADMIN_KEY,
            "wallet.warmup.max-duration", "0s",
            "pekko.remote.artery.canonical.port", 0)))
        .withFallback(keyspace.config())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  static WalletNode start(CassandraTestKeyspace keyspace) {
    return WalletNode.start(config(keyspace, Map.of()));
  }

  /** An admin client of the node, once the node reports ready (sharding and journal answer). */
  static Api ready(WalletNode node) {
    Api api = new Api(node.httpPort(), ADMIN_KEY);
    api.await("/health/ready", r -> r.status() == 200, java.time.Duration.ofSeconds(60));
    return api;
  }
}
