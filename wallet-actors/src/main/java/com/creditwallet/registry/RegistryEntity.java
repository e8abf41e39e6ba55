package com.creditwallet.registry;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.domain.Definition;
import com.creditwallet.wallet.domain.Rejection;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * One admin definition (a plan, or an operation's rate card), durable in the journal like
 * everything else, so there is no extra table to keep in sync. It is the only writer of its
 * definition; readers use the copy every node keeps ({@link DefinitionCache}), which this entity
 * publishes after each change and after its recovery, so reads never depend on the node it
 * runs on. Wallets get a copy when they use it (a plan on subscription, a rate card on a
 * reservation).
 */
public final class RegistryEntity
    extends EventSourcedBehaviorWithEnforcedReplies<RegistryEntity.Command, RegistryEntity.Defined, RegistryEntity.State> {

  public static final EntityTypeKey<Command> PLANS = EntityTypeKey.create(Command.class, "Plan");
  public static final EntityTypeKey<Command> OPERATIONS = EntityTypeKey.create(Command.class, "Operation");

  public sealed interface Command extends CborSerializable {}

  public record Define(Definition definition, ActorRef<StatusReply<DefinitionCache.Published>> replyTo)
      implements Command {}

  public record Get(ActorRef<StatusReply<DefinitionCache.Published>> replyTo) implements Command {}

  /** The definition was created or replaced. */
  public record Defined(Definition definition) implements CborSerializable {}

  /** {@code definition} null until defined; {@code revision} counts the changes. */
  public record State(Definition definition, long revision) implements CborSerializable {
    DefinitionCache.Published published() {
      return new DefinitionCache.Published(revision, definition);
    }
  }

  private final EntityTypeKey<Command> kind;
  private final String id;
  private final String notFoundCode;
  private final DefinitionCache cache;

  private RegistryEntity(EntityTypeKey<Command> kind, String id, DefinitionCache cache) {
    super(PersistenceId.of(kind.name(), id));
    this.kind = kind;
    this.id = id;
    this.notFoundCode = kind.name().toUpperCase() + "_NOT_FOUND";
    this.cache = cache;
  }

  public static Behavior<Command> create(EntityTypeKey<Command> kind, String id, DefinitionCache cache) {
    return new RegistryEntity(kind, id, cache);
  }

  public static void init(ActorSystem<?> system, DefinitionCache cache) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(PLANS, ctx -> create(PLANS, ctx.getEntityId(), cache)));
    sharding.init(Entity.of(OPERATIONS, ctx -> create(OPERATIONS, ctx.getEntityId(), cache)));
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
  }

  @Override
  public CommandHandlerWithReply<Command, Defined, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Define.class, (s, c) -> c.definition().equals(s.definition())
            ? Effect().reply(c.replyTo(), StatusReply.success(s.published()))
            : Effect().persist(new Defined(c.definition()))
                .thenRun(this::publish)
                .thenReply(c.replyTo(), n -> StatusReply.success(n.published())))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.definition() == null
            ? StatusReply.error(new Rejection(notFoundCode, id + " does not exist", Map.of()))
            : StatusReply.success(s.published())))
        .build();
  }

  @Override
  public EventHandler<State, Defined> eventHandler() {
    return (s, e) -> new State(e.definition(), s.revision() + 1);
  }

  /** After recovery too: a node that restarted (or a cluster restarted whole) learns it again. */
  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::publish).build();
  }

  private void publish(State s) {
    if (s.definition() != null) cache.publish(kind, id, s.published());
  }
}
