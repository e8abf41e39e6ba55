package com.creditwallet.plan;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.domain.Plan;
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
 * One plan definition, durable in the journal like everything else (no extra table to keep in
 * sync). Wallets copy the plan when they subscribe, so this entity is only read on subscription.
 */
public final class PlanEntity
    extends EventSourcedBehaviorWithEnforcedReplies<PlanEntity.Command, PlanEntity.PlanDefined, PlanEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Plan");

  public sealed interface Command extends CborSerializable {}

  public record Define(Plan plan, ActorRef<StatusReply<Plan>> replyTo) implements Command {}

  public record Get(ActorRef<StatusReply<Plan>> replyTo) implements Command {}

  /** The plan was created or replaced. */
  public record PlanDefined(Plan plan) implements CborSerializable {}

  /** {@code plan} null until defined. */
  public record State(Plan plan) implements CborSerializable {}

  private final String planId;

  private PlanEntity(String planId) {
    super(PersistenceId.of(TYPE_KEY.name(), planId));
    this.planId = planId;
  }

  public static Behavior<Command> create(String planId) {
    return new PlanEntity(planId);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId())));
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public CommandHandlerWithReply<Command, PlanDefined, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Define.class, (s, c) -> c.plan().equals(s.plan())
            ? Effect().reply(c.replyTo(), StatusReply.success(s.plan()))
            : Effect().persist(new PlanDefined(c.plan())).thenReply(c.replyTo(), n -> StatusReply.success(n.plan())))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.plan() == null
            ? StatusReply.error(new Rejection("PLAN_NOT_FOUND", 404, "plan " + planId + " does not exist", Map.of()))
            : StatusReply.success(s.plan())))
        .build();
  }

  @Override
  public EventHandler<State, PlanDefined> eventHandler() {
    return (s, e) -> new State(e.plan());
  }
}
