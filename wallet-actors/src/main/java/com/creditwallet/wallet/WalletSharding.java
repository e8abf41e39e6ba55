package com.creditwallet.wallet;

import com.creditwallet.archive.BoundedReservationArchive;
import com.creditwallet.archive.CassandraReservationArchive;
import com.creditwallet.archive.ReservationArchive;
import com.creditwallet.flow.TaskLimiter;
import com.creditwallet.registry.DefinitionCache;
import com.creditwallet.registry.Registry;
import com.creditwallet.registry.RegistryEntity;
import com.creditwallet.snapshot.CassandraSnapshotPruner;
import com.creditwallet.snapshot.SnapshotPruner;
import com.creditwallet.wakeup.CassandraWakeupIndex;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wakeup.WakeupLayout;
import com.creditwallet.wakeup.WakeupPoller;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Registers the wallet entity with Cluster Sharding (one entity per walletId, anywhere in the
 * cluster) with its reservation archive, the plan and rate card registry (read from a copy on
 * every node), and the wake-up pollers that wake passivated wallets on time;
 * reads the service-wide policy from the {@code wallet} config section.
 */
public final class WalletSharding {
  private final ClusterSharding sharding;
  private final Registry registry;

  private WalletSharding(ClusterSharding sharding, Registry registry) {
    this.sharding = sharding;
    this.registry = registry;
  }

  /** Wallets that hand their events to {@code feed} (the read side's; {@link LedgerFeed#NONE} for none). */
  public static WalletSharding init(ActorSystem<?> system, Clock clock, LedgerFeed feed) {
    Config c = system.settings().config().getConfig("wallet");
    WalletPolicy policy = policy(c);
    int snapshotEvery = c.getInt("snapshot-every");
    String keyspace = system.settings().config().getString("wallet.cassandra.keyspace");
    WakeupLayout layout = new WakeupLayout(c.getDuration("wakeups.bucket"), c.getInt("wakeups.shards"),
        c.getDuration("wakeups.keep-after-due"), c.getDuration("wakeups.max-ahead"));
    WakeupIndex wakeups = new CassandraWakeupIndex(system, keyspace, layout, clock);
    ReservationArchive archive = new BoundedReservationArchive(
        new CassandraReservationArchive(system, keyspace, policy.reservationRetention()),
        new TaskLimiter(c.getInt("archive.max-stores-in-flight"), system.executionContext()));
    SnapshotPruner pruner = new CassandraSnapshotPruner(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    ActorRef<ShardingEnvelope<WalletEntity.Command>> region =
        sharding.init(
            Entity.of(
                    WalletEntity.TYPE_KEY,
                    ctx -> WalletEntity.create(ctx.getEntityId(), clock, policy, snapshotEvery, wakeups, archive,
                        pruner, feed))
                // Handoff and passivation let the wallet answer what it has queued, and its ledger
                // feed catch up, before it stops.
                .withStopMessage(WalletEntity.Stop.INSTANCE));
    system.log().debug("wallet sharding started: {}", region);
    DefinitionCache definitions = DefinitionCache.start(system, c.getDuration("registry.write-timeout"));
    RegistryEntity.init(system, definitions);
    WalletSharding walletSharding = new WalletSharding(sharding, new Registry(sharding, definitions));
    WakeupPoller.init(system, keyspace, layout, c.getDuration("wakeups.poll-interval"),
        c.getDuration("wakeups.first-lookback"), clock, walletSharding::wallet);
    return walletSharding;
  }

  /** Plans and rate cards: read from this node's copy, written through their registry entity. */
  public Registry registry() {
    return registry;
  }

  public static WalletPolicy policy(Config c) {
    Duration window = c.getDuration("recent-window");
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("wallet.recent-window must be at least 1s, not " + window);
    }
    return new WalletPolicy(
        c.getLong("topup.min"), c.getLong("topup.max"), c.getDuration("reservation-retention"),
        window, c.getInt("recent-max"), c.getInt("max-open-holds"), c.getInt("max-events-per-write"));
  }

  public EntityRef<WalletEntity.Command> wallet(String walletId) {
    return sharding.entityRefFor(WalletEntity.TYPE_KEY, walletId);
  }
}
