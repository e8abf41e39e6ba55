package com.creditwallet.gateway.http;

import com.creditwallet.serialization.CborSerializable;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Proves that this node can write to the journal: each {@link Check} persists one tiny event and
 * is answered only once the write is durable. Readiness cannot rely on reading a wallet: once
 * recovered, an entity answers from memory, so a node would stay "ready" while Cassandra is down.
 *
 * <p>One probe per node (its persistence id carries the node's address, so two nodes never write
 * the same id), a local actor rather than a sharded one. A failed write or recovery restarts it
 * with backoff; meanwhile checks go unanswered and time out, which is the "not ready" signal. Its
 * journal stays small: a snapshot every {@value #SNAPSHOT_EVERY} checks deletes the events
 * before it.
 */
public final class JournalProbe extends EventSourcedBehavior<JournalProbe.Check, JournalProbe.Written, JournalProbe.Count> {
  static final int SNAPSHOT_EVERY = 100;

  /** Write one event, then answer. */
  public record Check(ActorRef<Done> replyTo) implements CborSerializable {}

  /** The event: nothing but the fact of a write. */
  public record Written() implements CborSerializable {}

  /** How many checks this probe wrote (only there so snapshots have something to hold). */
  public record Count(long value) implements CborSerializable {}

  private JournalProbe(PersistenceId id) {
    // While the journal is down this restarts every few seconds: a warning each time, not an error.
    super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2)
        .withLogLevel(org.slf4j.event.Level.WARN));
  }

  /** The probe of the node at {@code nodeAddress} (host:port). */
  public static Behavior<Check> create(String nodeAddress) {
    return new JournalProbe(PersistenceId.of("~journal-probe", nodeAddress));
  }

  /** Probes already started, one per actor system (two writers of one persistence id would clash). */
  private static final Map<ActorSystem<?>, ActorRef<Check>> STARTED = new WeakHashMap<>();

  /**
   * This node's probe, started on first use, once the node's cluster address is known: however
   * many routes ask, one system has one probe.
   */
  public static synchronized ActorRef<Check> of(ActorSystem<?> system) {
    return STARTED.computeIfAbsent(system, sys -> sys.systemActorOf(
        create(Cluster.get(sys).selfMember().address().hostPort()), "journal-probe", Props.empty()));
  }

  @Override
  public Count emptyState() {
    return new Count(0);
  }

  @Override
  public CommandHandler<Check, Written, Count> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Check.class, (state, check) -> Effect().persist(new Written())
            .thenRun(s -> check.replyTo().tell(Done.getInstance())))
        .build();
  }

  @Override
  public EventHandler<Count, Written> eventHandler() {
    return (state, event) -> new Count(state.value() + 1);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 1).withDeleteEventsOnSnapshot();
  }
}
