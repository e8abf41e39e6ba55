package com.creditwallet.ledger;

import com.creditwallet.wakeup.WakeLimiter;
import com.creditwallet.wallet.WalletEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;

/**
 * Finds wallets whose node died while they were being fed ({@link FeedMarks} under an owner,
 * a node incarnation, that is no longer in the cluster) and wakes them, wherever sharding now
 * puts them: the new incarnation's feed catches up from the journal, so the read side gets every
 * event even of a wallet nobody calls again. A wallet acknowledges the wake-up only once its new
 * feed has its own mark, and only then is the dead owner's mark removed; an owner with no marks
 * left is forgotten. One instance in the cluster (a sharded daemon process) sweeps when it
 * starts, whenever a member is removed from the cluster (only then can an owner die), and every
 * {@code interval} in case a round failed.
 *
 * <p>An owner is dead once this sweeper has seen it removed from the cluster, or has found it
 * missing from the membership for {@code newcomerGrace}: a new node's first marks can reach
 * Cassandra before gossip has told this node about it, and a sweeper that started after a
 * removal never saw it.
 *
 * <p>A round wakes at most {@code maxWakes} wallets and waits for their answers, so a dead node's
 * many wallets recover at a bounded pace; a round that cleared marks is followed by another
 * right away, until the dead owners are gone.
 */
public final class FeedSweeper {
  /** How the sweeper paces itself ({@code wallet.read-side}). */
  public record Settings(Duration interval, int maxWakes, Duration newcomerGrace) {}

  /** What the sweeper is told. */
  interface Message {}

  /** Sweep now (a timer, a grace that ran out). */
  private enum Tick implements Message { INSTANCE }

  private record Removed(String owner) implements Message {}

  private record OwnersRead(List<String> owners, Throwable failure) implements Message {}

  private record RoundEnded(Integer cleared, Throwable failure) implements Message {}

  /** The first sweep after the sweeper starts (at most its interval). */
  private static final Duration FIRST_SWEEP = Duration.ofSeconds(10);
  /** How long a woken wallet has to recover and open its feed (a large one reads its snapshot). */
  private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(30);

  private FeedSweeper() {}

  /** How a mark names the node incarnation that wrote it. */
  public static String owner(UniqueAddress node) {
    return node.address() + "#" + node.longUid();
  }

  public static void init(ActorSystem<?> system, FeedMarks marks, Settings settings,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    ShardedDaemonProcess.get(system).init(Message.class, "ledger-feed-sweeper", 1,
        i -> Behaviors.<Message>withTimers(timers -> Behaviors.setup(ctx ->
            new FeedSweeper.Rounds(ctx, timers, marks, settings, wallets).behavior())));
  }

  /** One round at a time; a sweep asked for during a round follows it. */
  private static final class Rounds {
    private final ActorContext<Message> ctx;
    private final TimerScheduler<Message> timers;
    // Rounds end on driver threads, where the actor's context must not be touched.
    private final Logger log;
    private final FeedMarks marks;
    private final Settings settings;
    private final Function<String, EntityRef<WalletEntity.Command>> wallets;
    private final WakeLimiter limiter;
    /** Owners this sweeper saw removed from the cluster: dead at once. */
    private final Set<String> removed = new HashSet<>();
    /** Owners missing from the membership, with when this sweeper first found them missing (monotonic ms). */
    private final Map<String, Long> missingSince = new HashMap<>();
    private boolean sweeping;
    private boolean again;

    Rounds(ActorContext<Message> ctx, TimerScheduler<Message> timers, FeedMarks marks, Settings settings,
        Function<String, EntityRef<WalletEntity.Command>> wallets) {
      this.ctx = ctx;
      this.timers = timers;
      this.log = ctx.getLog();
      this.marks = marks;
      this.settings = settings;
      this.wallets = wallets;
      this.limiter = WakeLimiter.get(ctx.getSystem());
      Duration first = FIRST_SWEEP.compareTo(settings.interval()) < 0 ? FIRST_SWEEP : settings.interval();
      timers.startTimerWithFixedDelay("sweep", Tick.INSTANCE, first, settings.interval());
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberRemoved.class, r -> new Removed(owner(r.member().uniqueAddress()))),
          ClusterEvent.MemberRemoved.class));
    }

    Behavior<Message> behavior() {
      return Behaviors.receive(Message.class)
          .onMessageEquals(Tick.INSTANCE, () -> sweep())
          .onMessage(Removed.class, r -> {
            removed.add(r.owner());
            return sweep();
          })
          .onMessage(OwnersRead.class, this::onOwnersRead)
          .onMessage(RoundEnded.class, this::onRoundEnded)
          .build();
    }

    private Behavior<Message> sweep() {
      if (sweeping) {
        again = true;
      } else {
        sweeping = true;
        again = false;
        ctx.pipeToSelf(marks.owners(), OwnersRead::new);
      }
      return Behaviors.same();
    }

    private Behavior<Message> onOwnersRead(OwnersRead r) {
      if (r.failure() != null) return onRoundEnded(new RoundEnded(0, r.failure()));
      Set<String> alive = alive(ctx.getSystem());
      long now = System.nanoTime() / 1_000_000;
      long graceMs = settings.newcomerGrace().toMillis();
      List<String> dead = new ArrayList<>();
      boolean waiting = false;
      Set<String> listed = new HashSet<>();
      for (String owner : r.owners()) {
        listed.add(owner);
        if (alive.contains(owner)) {
          missingSince.remove(owner);
        } else if (removed.contains(owner) || now - missingSince.computeIfAbsent(owner, k -> now) >= graceMs) {
          dead.add(owner);
        } else {
          waiting = true;
        }
      }
      missingSince.keySet().retainAll(listed);
      removed.retainAll(listed);
      if (waiting) timers.startSingleTimer("grace", Tick.INSTANCE, settings.newcomerGrace());
      ctx.pipeToSelf(round(dead), RoundEnded::new);
      return Behaviors.same();
    }

    private Behavior<Message> onRoundEnded(RoundEnded ended) {
      sweeping = false;
      if (ended.failure() != null) {
        log.warn("ledger feed sweep failed, trying again in {}: {}", settings.interval(), ended.failure().toString());
      }
      if (again || (ended.failure() == null && ended.cleared() > 0)) sweep();
      return Behaviors.same();
    }

    /** Wakes the wallets of dead owners and removes their marks; how many were removed. */
    private CompletionStage<Integer> round(List<String> dead) {
      AtomicInteger budget = new AtomicInteger(settings.maxWakes());
      AtomicInteger cleared = new AtomicInteger();
      CompletionStage<Void> done = CompletableFuture.completedFuture(null);
      for (String owner : dead) {
        done = done.thenCompose(v -> budget.get() <= 0 ? CompletableFuture.completedFuture(null)
            : sweepOwner(owner, budget, cleared));
      }
      return done.thenApply(v -> cleared.get());
    }

    private CompletionStage<Void> sweepOwner(String owner, AtomicInteger budget, AtomicInteger cleared) {
      return marks.marked(owner, budget.get()).thenCompose(walletIds -> {
        if (walletIds.isEmpty()) {
          log.info("ledger feeds: node {} has no wallets left to catch up; forgetting it", owner);
          return marks.forget(owner).thenApply(d -> null);
        }
        budget.addAndGet(-walletIds.size());
        log.info("waking {} wallets whose node {} left while feeding their ledger", walletIds.size(), owner);
        List<CompletableFuture<Done>> wakes = new ArrayList<>(walletIds.size());
        for (String walletId : walletIds) {
          wakes.add(limiter.submit(() -> wallets.apply(walletId).<Done>ask(WalletEntity.WakeUp::new, WAKE_TIMEOUT))
              .thenCompose(d -> marks.unmark(walletId, owner))
              .thenApply(d -> {
                cleared.incrementAndGet();
                return d;
              })
              // A wallet that does not answer in time keeps the dead owner's mark for the next round.
              .exceptionally(failure -> Done.getInstance())
              .toCompletableFuture());
        }
        return CompletableFuture.allOf(wakes.toArray(CompletableFuture[]::new));
      });
    }
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
