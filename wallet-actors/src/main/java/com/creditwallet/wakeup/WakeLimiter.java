package com.creditwallet.wakeup;

import com.creditwallet.flow.TaskLimiter;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Bounds the wallets a node wakes at once on behalf of its background work (deadlines, grant
 * alerts, the ledger-feed sweeper); the rest wait their turn, in order. A wake-up of a wallet that
 * is not in memory is a recovery plus a write, several Cassandra round trips: 32 deadline pollers
 * waking 100 wallets each at once flooded a one-node cluster with 3,200 recoveries when a
 * million 15-minute holds began to expire, every wake-up timed out and was tried again, and
 * reservations fell from 500 to 10 a second. Waiting here instead, a wake-up's own timeout starts
 * only when it is sent. {@code wallet.wakeups.max-in-flight} per node.
 */
public final class WakeLimiter extends TaskLimiter implements Extension {
  private static final ExtensionId<WakeLimiter> ID = new ExtensionId<>() {
    @Override
    public WakeLimiter createExtension(ActorSystem<?> system) {
      return new WakeLimiter(system.settings().config().getInt("wallet.wakeups.max-in-flight"),
          system.executionContext());
    }
  };

  /** {@code executor} starts the wake-ups that waited. */
  public WakeLimiter(int max, Executor executor) {
    super(max, executor);
  }

  /** The node's limiter. */
  public static WakeLimiter get(ActorSystem<?> system) {
    return ID.apply(system);
  }
}
