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
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * One admin definition (a plan, or an operation's rate card), durable in the journal like
 * everything else, so there is no extra table to keep in sync. Wallets get a copy when they use
 * it (a plan on subscription, a rate card on a reservation), so this is read, not hot.
 */
public final class RegistryEntity
    extends EventSourcedBehaviorWithEnforcedReplies<RegistryEntity.Command, RegistryEntity.Defined, RegistryEntity.State> {

  public static final EntityTypeKey<Command> PLANS = EntityTypeKey.create(Command.class, "Plan");
  public static final EntityTypeKey<Command> OPERATIONS = EntityTypeKey.create(Command.class, "Operation");

  public sealed interface Command extends CborSerializable {}

  public record Define(Definition definition, ActorRef<StatusReply<Definition>> replyTo) implements Command {}

  public record Get(ActorRef<StatusReply<Definition>> replyTo) implements Command {}

  /** The definition was created or replaced. */
  public record Defined(Definition definition) implements CborSerializable {}

  /** {@code definition} null until defined. */
  public record State(Definition definition) implements CborSerializable {}

  private final String id;
  private final String notFoundCode;

  private RegistryEntity(EntityTypeKey<Command> kind, String id) {
    super(PersistenceId.of(kind.name(), id));
    this.id = id;
    this.notFoundCode = kind.name().toUpperCase() + "_NOT_FOUND";
  }

  public static Behavior<Command> create(EntityTypeKey<Command> kind, String id) {
    return new RegistryEntity(kind, id);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(PLANS, ctx -> create(PLANS, ctx.getEntityId())));
    sharding.init(Entity.of(OPERATIONS, ctx -> create(OPERATIONS, ctx.getEntityId())));
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public CommandHandlerWithReply<Command, Defined, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Define.class, (s, c) -> c.definition().equals(s.definition())
            ? Effect().reply(c.replyTo(), StatusReply.success(s.definition()))
            : Effect().persist(new Defined(c.definition()))
                .thenReply(c.replyTo(), n -> StatusReply.success(n.definition())))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.definition() == null
            ? StatusReply.error(new Rejection(notFoundCode, id + " does not exist", Map.of()))
            : StatusReply.success(s.definition())))
        .build();
  }

  @Override
  public EventHandler<State, Defined> eventHandler() {
    return (s, e) -> new State(e.definition());
  }
}
