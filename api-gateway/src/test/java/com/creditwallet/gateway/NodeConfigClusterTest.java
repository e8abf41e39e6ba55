package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.creditwallet.gateway.cluster.ClusterJoin;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How WALLET_SEED_NODES and WALLET_BOOTSTRAP_NODES become config, and which join they select. */
class NodeConfigClusterTest {
  private static final Config BASE = ConfigFactory.load();

  @Test
  void seedNodesAreActorSystemAddresses() {
    assertEquals(List.of("pekko://wallet@10.0.0.1:2551", "pekko://wallet@10.0.0.2:2551"),
        NodeConfig.seedNodes("10.0.0.1:2551, 10.0.0.2:2551,"));
  }

  @Test
  void bootstrapListsManagementEndpointsAndNeedsAllOfThemByDefault() {
    Config c = NodeConfig.bootstrap("127.0.0.1:8558,127.0.0.1:8559,127.0.0.1:8560", null).withFallback(BASE).resolve();
    assertEquals(3, c.getList(ClusterJoin.BOOTSTRAP_ENDPOINTS).size());
    assertEquals(8559, c.getConfigList(ClusterJoin.BOOTSTRAP_ENDPOINTS).get(1).getInt("port"));
    assertEquals(3, c.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals(2, NodeConfig.bootstrap("a:1,b:2,c:3", "2").withFallback(BASE).resolve()
        .getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals("config", c.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertThrows(IllegalArgumentException.class, () -> NodeConfig.bootstrap("no-port", null));
  }

  @Test
  void theJoinFollowsWhatIsConfigured() {
    assertEquals(ClusterJoin.Mode.ALONE, ClusterJoin.mode(BASE));
    assertEquals(ClusterJoin.Mode.SEED_NODES, ClusterJoin.mode(ConfigFactory.parseMap(
        Map.of(ClusterJoin.SEED_NODES, NodeConfig.seedNodes("127.0.0.1:2551"))).withFallback(BASE)));
    assertEquals(ClusterJoin.Mode.BOOTSTRAP, ClusterJoin.mode(NodeConfig.bootstrap("127.0.0.1:8558", null).withFallback(BASE)));
    // Pekko's own list stays empty: it would join before Cassandra answers.
    assertEquals(List.of(), BASE.getStringList("pekko.cluster.seed-nodes"));
  }
}
