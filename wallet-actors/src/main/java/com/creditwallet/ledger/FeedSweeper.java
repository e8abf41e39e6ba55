package com.creditwallet.ledger;

import com.creditwallet.wallet.WalletEntity;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;

/**
 * Finds wallets whose node died while they were being fed (their {@link FeedMarks} name a node
 * incarnation that is no longer in the cluster) and wakes them, wherever sharding now puts them:
 * the new incarnation's feed catches up from the journal, so the read side gets every event even
 * of a wallet nobody calls again. One instance in the cluster (a sharded daemon process) reads
 * all marks when it starts, whenever a member is removed from the cluster (only then can a mark go
 * stale), and every {@code interval} as a safety net; it wakes at most {@code maxWakes} wallets
 * per round, so a dead node's many wallets recover at a bounded pace.
 *
 * <p>Reading all marks is not cheap: every wallet that left memory left a tombstone in
 * ledger_feeds until compaction purges it. Sweeping every 10 s regardless made Cassandra read
 * millions of tombstones a minute once a million wallets had passed through one node.
 */
public final class FeedSweeper {
  enum Tick { INSTANCE }

  /** The first sweep after the sweeper starts (at most its interval). */
  private static final Duration FIRST_SWEEP = Duration.ofSeconds(10);

  private FeedSweeper() {}

  /** How a mark names the node incarnation that wrote it. */
  public static String owner(UniqueAddress node) {
    return node.address() + "#" + node.longUid();
  }

  public static void init(ActorSystem<?> system, FeedMarks marks, Duration interval, int maxWakes,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    ShardedDaemonProcess.get(system).init(Tick.class, "ledger-feed-sweeper", 1,
        i -> behavior(system, marks, interval, maxWakes, wallets));
  }

  private static Behavior<Tick> behavior(ActorSystem<?> system, FeedMarks marks, Duration interval, int maxWakes,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      // The round ends on a driver thread, where the actor's context must not be touched.
      Logger log = ctx.getLog();
      timers.startTimerWithFixedDelay(Tick.INSTANCE, FIRST_SWEEP.compareTo(interval) < 0 ? FIRST_SWEEP : interval,
          interval);
      Cluster.get(system).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberRemoved.class, removed -> Tick.INSTANCE), ClusterEvent.MemberRemoved.class));
      return Behaviors.receive(Tick.class).onMessageEquals(Tick.INSTANCE, () -> {
        Set<String> alive = alive(system);
        marks.all().whenComplete((all, failure) -> {
          if (failure != null) {
            log.warn("ledger feed sweep failed, trying again in {}: {}", interval, failure.toString());
            return;
          }
          List<FeedMarks.Mark> stale = all.stream().filter(m -> !alive.contains(m.owner())).limit(maxWakes).toList();
          if (!stale.isEmpty()) {
            log.info("waking {} wallets whose node left while feeding their ledger", stale.size());
          }
          stale.forEach(m -> wallets.apply(m.walletId()).tell(new WalletEntity.WakeUp()));
        });
        return Behaviors.same();
      }).build();
    }));
  }

  /** Members that may still run wallets: anything not yet down or removed (unreachable included). */
  private static Set<String> alive(ActorSystem<?> system) {
    Set<String> out = new HashSet<>();
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (m.status() != MemberStatus.down() && m.status() != MemberStatus.removed()) out.add(owner(m.uniqueAddress()));
    }
    return out;
  }
}
