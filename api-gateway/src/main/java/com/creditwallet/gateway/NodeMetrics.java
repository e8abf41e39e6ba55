package com.creditwallet.gateway;

import com.creditwallet.ledger.ReadSide;
import com.creditwallet.metrics.WalletMetrics;
import com.creditwallet.wallet.WalletEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The node's Prometheus registry (GET /metrics): JVM meters, the wallet's own meters
 * ({@link WalletMetrics}: commands, journal writes, webhook deliveries), HTTP requests
 * ({@link com.creditwallet.gateway.http.HttpMetrics}), the read side's lag per tag, and the wallets
 * in memory on this node (asked from sharding every few seconds, so a scrape never waits on it).
 */
public final class NodeMetrics {
  private static final Map<ActorSystem<?>, NodeMetrics> RUNNING = new ConcurrentHashMap<>();
  private static final Duration ACTIVE_REFRESH = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry;
  private final AtomicLong activeWallets = new AtomicLong();

  private NodeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static NodeMetrics start(ActorSystem<?> system) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags(Tags.of("node", system.address().toString()));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    WalletMetrics.install(registry);
    NodeMetrics m = new NodeMetrics(registry);
    Gauge.builder("wallet_active_wallets", m.activeWallets, AtomicLong::get)
        .description("Wallet entities in memory on this node").register(registry);
    system.scheduler().scheduleWithFixedDelay(ACTIVE_REFRESH, ACTIVE_REFRESH, () -> m.refreshActive(system),
        system.executionContext());
    RUNNING.put(system, m);
    system.getWhenTerminated().thenRun(() -> RUNNING.remove(system));
    return m;
  }

  /** Registers the read side's lag (once the read side has started). */
  public void watch(ReadSide readSide) {
    Gauge.builder("wallet_projection_lag_seconds", readSide.lag(), l -> l.millis() / 1000.0)
        .description("Age of the newest event of the last read-side write of a ledger feed on this node")
        .register(registry);
  }

  public static NodeMetrics get(ActorSystem<?> system) {
    NodeMetrics m = RUNNING.get(system);
    if (m == null) throw new IllegalStateException("metrics were not started on " + system.name());
    return m;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private void refreshActive(ActorSystem<?> system) {
    AskPattern.<GetShardRegionState, org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState().narrow(),
            reply -> new GetShardRegionState(WalletEntity.TYPE_KEY, reply.narrow()),
            Duration.ofSeconds(3), system.scheduler())
        .thenAccept(state -> {
          long n = 0;
          for (var shard : state.getShards()) n += shard.getEntityIds().size();
          activeWallets.set(n);
        });
  }
}
