package com.creditwallet.gateway.http;

import com.creditwallet.serialization.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Proves that this node can write to the journal: a {@link Check} is answered once a write that
 * started after it arrived (or at most {@link #FRESH} before) is durable. Readiness cannot rely on
 * reading a wallet: once recovered, an entity answers from memory, so a node would stay "ready"
 * while Cassandra is down.
 *
 * <p>Checks that arrive while a write is in flight share the next write, and a write that
 * succeeded within {@link #FRESH} answers at once: however often readiness is polled, the probe
 * writes at most about once per write latency, never a queue of writes that grows while Cassandra
 * is slow (one write per poll fell behind under load and never answered in time).
 *
 * <p>One probe per node (the writer's persistence id carries the node's address, so two nodes never
 * write the same id), a local actor rather than a sharded one. A failed write or recovery restarts
 * the writer with backoff; meanwhile checks go unanswered and time out, which is the "not ready"
 * signal. Its journal stays small: a snapshot every {@value #SNAPSHOT_EVERY} writes deletes the
 * events before it. Deleting needs a journal plugin instance of its own ({@value #PLUGIN_ID},
 * same keyspace and tables): the wallets' instance has deletes off so recoveries read less.
 */
public final class JournalProbe {
  static final int SNAPSHOT_EVERY = 100;

  /** The probe's journal plugin instance (wallet-persistence.conf): deletes on, no tags. */
  static final String PLUGIN_ID = "wallet.journal-probe.journal";

  /**
   * The probe's snapshot store: the plugin's own, which acknowledges a snapshot once written. The
   * wallets' store acknowledges early, and the probe deletes its events on that acknowledgement.
   */
  static final String SNAPSHOT_PLUGIN_ID = "wallet.journal-probe.snapshot";

  /** A write this recent proves the journal writable: answered without a new one. */
  static final Duration FRESH = Duration.ofSeconds(1);

  /** Longer than any readiness check waits: a write slower than this counts as failed. */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

  private JournalProbe() {}

  /** Answered with {@code Done} once the journal took a write. */
  public record Check(ActorRef<Done> replyTo) implements Msg {}

  /** The probe's own messages. */
  public sealed interface Msg {}

  private record WriteResult(List<ActorRef<Done>> waiting, boolean ok) implements Msg {}

  /**
   * This node's probe, started on first use, once the node's cluster address is known: however
   * many routes ask, one actor system has one probe (two writers of one persistence id would
   * clash). An extension, since actor systems of the same name compare equal.
   */
  public static ActorRef<Check> of(ActorSystem<?> system) {
    return Started.ID.apply(system).probe;
  }

  /** The probe of one actor system. */
  static final class Started implements Extension {
    static final ExtensionId<Started> ID = new ExtensionId<>() {
      @Override
      public Started createExtension(ActorSystem<?> system) {
        return new Started(system.<Msg>systemActorOf(
            create(Cluster.get(system).selfMember().address().hostPort()), "journal-probe", Props.empty()).narrow());
      }
    };

    final ActorRef<Check> probe;

    Started(ActorRef<Check> probe) {
      this.probe = probe;
    }
  }

  /** The probe of the node at {@code nodeAddress} (host:port). */
  static Behavior<Msg> create(String nodeAddress) {
    return Behaviors.setup(ctx -> {
      ActorRef<Writer.Write> writer = ctx.spawn(Writer.create(nodeAddress), "writer");
      return new Batching(ctx, writer).idle(null);
    });
  }

  /** Gathers checks into shared writes. */
  private static final class Batching {
    private final ActorContext<Msg> ctx;
    private final ActorRef<Writer.Write> writer;
    private List<ActorRef<Done>> waiting = new ArrayList<>();

    Batching(ActorContext<Msg> ctx, ActorRef<Writer.Write> writer) {
      this.ctx = ctx;
      this.writer = writer;
    }

    /** No write in flight; {@code lastOk}: when the last write succeeded (null: never or failed). */
    Behavior<Msg> idle(Instant lastOk) {
      return Behaviors.receive(Msg.class)
          .onMessage(Check.class, c -> {
            if (lastOk != null && Instant.now().isBefore(lastOk.plus(FRESH))) {
              c.replyTo().tell(Done.getInstance());
              return Behaviors.same();
            }
            waiting.add(c.replyTo());
            return write();
          })
          .build();
    }

    Behavior<Msg> write() {
      List<ActorRef<Done>> batch = waiting;
      waiting = new ArrayList<>();
      ctx.ask(Done.class, writer, WRITE_TIMEOUT, Writer.Write::new,
          (done, failure) -> new WriteResult(batch, failure == null));
      return Behaviors.receive(Msg.class)
          .onMessage(Check.class, c -> {
            waiting.add(c.replyTo());
            return Behaviors.same();
          })
          .onMessage(WriteResult.class, r -> {
            Instant lastOk = null;
            if (r.ok()) {
              r.waiting().forEach(w -> w.tell(Done.getInstance()));
              lastOk = Instant.now();
            }
            if (!waiting.isEmpty()) return write();
            return idle(lastOk);
          })
          .build();
    }
  }

  /** Persists one tiny event per write and answers once it is durable. */
  static final class Writer extends EventSourcedBehavior<Writer.Write, Writer.Written, Writer.Count> {
    /** Write one event, then answer. */
    record Write(ActorRef<Done> replyTo) implements CborSerializable {}

    /** The event: nothing but the fact of a write. */
    record Written() implements CborSerializable {}

    /** How many writes this probe made (only there so snapshots have something to hold). */
    record Count(long value) implements CborSerializable {}

    private Writer(PersistenceId id) {
      // While the journal is down this restarts every few seconds: a warning each time, not an error.
      super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2)
          .withLogLevel(org.slf4j.event.Level.WARN));
    }

    static Behavior<Write> create(String nodeAddress) {
      return new Writer(PersistenceId.of("~journal-probe", nodeAddress));
    }

    @Override
    public String journalPluginId() {
      return PLUGIN_ID;
    }

    @Override
    public String snapshotPluginId() {
      return SNAPSHOT_PLUGIN_ID;
    }

    @Override
    public Count emptyState() {
      return new Count(0);
    }

    @Override
    public CommandHandler<Write, Written, Count> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(Write.class, (state, w) -> Effect().persist(new Written())
              .thenRun(s -> w.replyTo().tell(Done.getInstance())))
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
}
