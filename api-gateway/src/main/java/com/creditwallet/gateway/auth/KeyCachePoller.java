package com.creditwallet.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Keeps this node's key cache in step with the store: every {@code interval} it reads the change
 * log (keys minted or revoked on any node) as {@link PollWindow} says, so a revocation reaches
 * every node within about one interval. One per node (every node needs its own copy), rounds
 * never overlap, a failed round is retried at the next tick from the same point.
 *
 * <p>Why polling Cassandra rather than Pekko Distributed Data: the keys must survive a restart of
 * the whole cluster anyway, so Cassandra is the truth; a poll of a small, day-partitioned table
 * every second is cheap, works the same for one node or many, and needs no second replication
 * mechanism whose convergence would also have to be tested.
 */
public final class KeyCachePoller {
  private sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private record RoundDone(PollWindow.Round round, Throwable failure) implements Msg {}

  private final ApiKeyStore store;
  private final AccountKeys keys;
  private final PollWindow window;
  private final Clock clock;
  private Instant lastGoodStart;
  private Instant lastFullLoad;

  private KeyCachePoller(ApiKeyStore store, AccountKeys keys, PollWindow window, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.window = window;
    this.clock = clock;
  }

  public static void start(
      ActorSystem<?> system, ApiKeyStore store, AccountKeys keys, PollWindow window, Duration interval, Clock clock) {
    system.systemActorOf(new KeyCachePoller(store, keys, window, clock).behavior(interval), "account-key-poller", Props.empty());
  }

  private Behavior<Msg> behavior(Duration interval) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      ctx.getSelf().tell(Tick.INSTANCE);
      return Behaviors.receive(Msg.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            PollWindow.Round round = window.next(clock.instant(), lastGoodStart, lastFullLoad);
            ctx.pipeToSelf(run(round), (done, failure) -> new RoundDone(round, failure));
            return Behaviors.same();
          })
          .onMessage(RoundDone.class, done -> {
            if (done.failure() == null) {
              lastGoodStart = done.round().start();
              if (done.round().full()) {
                lastFullLoad = done.round().start();
                ctx.getLog().info("account keys loaded: {} known on this node", keys.cachedKeys());
              }
            } else {
              ctx.getLog().warn("account key poll failed (retried in {}): {}", interval, done.failure().toString());
            }
            timers.startSingleTimer(Tick.INSTANCE, interval);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private CompletionStage<Void> run(PollWindow.Round round) {
    CompletionStage<Void> loaded = round.full() ? store.loadAll(keys::apply) : CompletableFuture.completedFuture(null);
    return loaded
        .thenCompose(v -> store.changesSince(round.since(), round.until()))
        .thenAccept(changes -> changes.forEach(keys::apply));
  }
}
