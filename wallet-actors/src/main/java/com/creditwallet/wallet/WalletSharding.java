package com.creditwallet.wallet;

import com.creditwallet.wallet.domain.WalletPolicy;
import com.typesafe.config.Config;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Registers the wallet entity with Cluster Sharding (one entity per walletId, anywhere in the
 * cluster) and reads the service-wide policy from the {@code wallet} config section.
 */
public final class WalletSharding {
  private final ClusterSharding sharding;

  private WalletSharding(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  public static WalletSharding init(ActorSystem<?> system, Clock clock) {
    Config c = system.settings().config().getConfig("wallet");
    WalletPolicy policy = policy(c);
    int snapshotEvery = c.getInt("snapshot-every");
    ClusterSharding sharding = ClusterSharding.get(system);
    ActorRef<ShardingEnvelope<WalletEntity.Command>> region =
        sharding.init(
            Entity.of(
                WalletEntity.TYPE_KEY,
                ctx -> WalletEntity.create(ctx.getEntityId(), clock, policy, snapshotEvery)));
    system.log().debug("wallet sharding started: {}", region);
    return new WalletSharding(sharding);
  }

  public static WalletPolicy policy(Config c) {
    return new WalletPolicy(
        c.getLong("topup.min"), c.getLong("topup.max"), c.getDuration("reservation-retention"));
  }

  public EntityRef<WalletEntity.Command> wallet(String walletId) {
    return sharding.entityRefFor(WalletEntity.TYPE_KEY, walletId);
  }
}
