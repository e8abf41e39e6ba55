package com.creditwallet.wallet;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.Configured;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.WalletViews.SubBudgetView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.Estimate;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletRules;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One wallet as a sharded, event-sourced actor. It serializes every command of its wallet, so no
 * two reservations ever race for the same credits. It holds no rules of its own: each command
 * first applies every deadline already due, then asks {@link WalletRules} for events, persists
 * them together and answers from the resulting state. Enforced replies make the compiler prove
 * that every command is answered.
 */
public final class WalletEntity
    extends EventSourcedBehaviorWithEnforcedReplies<WalletEntity.Command, WalletEvent, WalletState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Wallet");

  /** Events are tagged by slice so projections can read the ledger in parallel. */
  public static final int TAG_SLICES = 4;

  /** Timers far in the future are re-armed from state on each command, so a day is enough. */
  private static final Duration MAX_TIMER = Duration.ofDays(1);

  private static final String DEADLINE_TIMER = "deadline";

  public sealed interface Command extends CborSerializable {}

  public record Configure(WalletSettings.SettingsUpdate update, ActorRef<StatusReply<Configured>> replyTo)
      implements Command {}

  public record GetWallet(ActorRef<StatusReply<WalletView>> replyTo) implements Command {}

  public record IssueGrant(GrantRequest request, ActorRef<StatusReply<GrantView>> replyTo) implements Command {}

  /** {@code unitCosts}: the rate card's cost of one unit, for the operation form (else null). */
  public record Reserve(
      ReserveRequest request,
      Map<String, Long> unitCosts,
      ReservationKind kind,
      ActorRef<StatusReply<ReservationView>> replyTo)
      implements Command {
    public Reserve(ReserveRequest request, ReservationKind kind, ActorRef<StatusReply<ReservationView>> replyTo) {
      this(request, null, kind, replyTo);
    }
  }

  /** Prices lines, or operation x quantity, against the wallet (or a sub-budget); changes nothing. */
  public record EstimateCost(
      List<Line> lines,
      String operation,
      Long quantity,
      Map<String, Long> unitCosts,
      String subBudget,
      ActorRef<StatusReply<Estimate>> replyTo)
      implements Command {}

  /** Creates a sub-budget or sets its allocation (empty: it spends from the unassigned pool). */
  public record ConfigureSubBudget(
      String subBudget, Map<String, Long> allocated, ActorRef<StatusReply<SubBudgetView>> replyTo)
      implements Command {}

  /**
   * Several spending commands for this wallet in one go (the batch API): applied in order on the
   * evolving state, persisted together in one write, answered together. One item's refusal
   * never affects the others. This is the wallet's group commit for high-volume senders.
   */
  public record Batch(List<BatchItem> items, ActorRef<BatchResults> replyTo) implements Command {}

  /** One item of a batch; the same as the single command would do. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ReserveItem.class, name = "reserve"),
    @JsonSubTypes.Type(value = CommitItem.class, name = "commit"),
    @JsonSubTypes.Type(value = ReleaseItem.class, name = "release"),
    @JsonSubTypes.Type(value = RefundItem.class, name = "refund")
  })
  public sealed interface BatchItem extends CborSerializable {}

  public record ReserveItem(ReserveRequest request, Map<String, Long> unitCosts, ReservationKind kind)
      implements BatchItem {}

  public record CommitItem(String reservationId, List<Line> lines) implements BatchItem {}

  public record ReleaseItem(String reservationId) implements BatchItem {}

  public record RefundItem(String reservationId, RefundRequest request) implements BatchItem {}

  /** Per item, in order: the reservation, or the rejection. */
  public record BatchResult(ReservationView reservation, Rejection.Body rejection) implements CborSerializable {}

  public record BatchResults(List<BatchResult> results) implements CborSerializable {}

  /** {@code lines} null commits everything. */
  public record Commit(String reservationId, List<Line> lines, ActorRef<StatusReply<ReservationView>> replyTo)
      implements Command {}

  public record Release(String reservationId, ActorRef<StatusReply<ReservationView>> replyTo)
      implements Command {}

  public record Refund(
      String reservationId, RefundRequest request, ActorRef<StatusReply<ReservationView>> replyTo)
      implements Command {}

  public record GetReservation(String reservationId, ActorRef<StatusReply<ReservationView>> replyTo)
      implements Command {}

  public record GetAudit(ActorRef<StatusReply<AuditReport>> replyTo) implements Command {}

  /** Subscribes to (or changes to) the plan given, as it was read from the plan registry. */
  public record Subscribe(Plan plan, ActorRef<StatusReply<WalletView>> replyTo) implements Command {}

  /**
   * Apply what is due. From the wallet's own timer {@code replyTo} is null; the wake-up poller
   * asks for an acknowledgement before it deletes its index row.
   */
  public record WakeUp(ActorRef<Done> replyTo) implements Command {
    public WakeUp() {
      this(null);
    }
  }

  private final String walletId;
  private final Clock clock;
  private final WalletPolicy policy;
  private final int snapshotEvery;
  private final TimerScheduler<Command> timers;
  private final WakeupIndex wakeups;
  private final String tag;
  /** The deadline last written to the wake-up index by this incarnation (null: none yet). */
  private Instant indexed;

  private WalletEntity(
      String walletId, Clock clock, WalletPolicy policy, int snapshotEvery, WakeupIndex wakeups,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), walletId));
    this.wakeups = wakeups;
    this.walletId = walletId;
    this.clock = clock;
    this.policy = policy;
    this.snapshotEvery = snapshotEvery;
    this.timers = timers;
    this.tag = "wallet-" + Math.floorMod(walletId.hashCode(), TAG_SLICES);
  }

  public static Behavior<Command> create(String walletId, Clock clock, WalletPolicy policy, int snapshotEvery) {
    return create(walletId, clock, policy, snapshotEvery, WakeupIndex.NONE);
  }

  public static Behavior<Command> create(
      String walletId, Clock clock, WalletPolicy policy, int snapshotEvery, WakeupIndex wakeups) {
    return Behaviors.withTimers(timers -> new WalletEntity(walletId, clock, policy, snapshotEvery, wakeups, timers));
  }

  @Override
  public WalletState emptyState() {
    return WalletState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, WalletEvent, WalletState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Configure.class, this::onConfigure)
        .onCommand(GetWallet.class, (s, c) -> act(s, c.replyTo(), true, x -> List.of(), this::walletView))
        .onCommand(IssueGrant.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.issueGrant(x, c.request(), now(), policy),
            x -> WalletViews.grant(x.grant(c.request().grantId()).orElseThrow())))
        .onCommand(Reserve.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.reserve(x, c.request(), c.unitCosts(), c.kind(), now()),
            x -> reservationView(x, c.request().id())))
        .onCommand(EstimateCost.class, (s, c) -> act(s, c.replyTo(), true, x -> List.of(),
            x -> WalletRules.estimate(x, c.lines(), c.operation(), c.quantity(), c.unitCosts(), c.subBudget())))
        .onCommand(ConfigureSubBudget.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.configureSubBudget(x, c.subBudget(), c.allocated(), now()),
            x -> WalletViews.subBudget(x.subBudget(c.subBudget()).orElseThrow())))
        .onCommand(Batch.class, this::onBatch)
        .onCommand(Commit.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.commit(x, c.reservationId(), c.lines(), now()),
            x -> reservationView(x, c.reservationId())))
        .onCommand(Release.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.release(x, c.reservationId(), now()),
            x -> reservationView(x, c.reservationId())))
        .onCommand(Refund.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.refund(x, c.reservationId(), c.request(), now()),
            x -> reservationView(x, c.reservationId())))
        .onCommand(GetReservation.class, (s, c) -> act(s, c.replyTo(), true,
            x -> { reservationView(x, c.reservationId()); return List.of(); },
            x -> reservationView(x, c.reservationId())))
        .onCommand(Subscribe.class, (s, c) -> act(s, c.replyTo(), true,
            x -> WalletRules.subscribe(x, c.plan(), now()), this::walletView))
        .onCommand(GetAudit.class, (s, c) -> act(s, c.replyTo(), true, x -> List.of(), WalletViews::audit))
        .onCommand(WakeUp.class, this::onWakeUp)
        .build();
  }

  private ReplyEffect<WalletEvent, WalletState> onConfigure(WalletState state, Configure c) {
    return act(state, c.replyTo(), false,
        x -> WalletRules.configure(x, c.update(), now()),
        // Still at version 1: this PUT created the wallet, or repeats the one that did (201 again).
        x -> new Configured(x.settingsVersion() == 1, walletView(x)));
  }

  private ReplyEffect<WalletEvent, WalletState> onBatch(WalletState state, Batch c) {
    WalletState.Settled due = WalletRules.dueEvents(state, now(), policy);
    List<WalletEvent> events = new ArrayList<>(due.events());
    WalletState s = due.state();
    List<BatchResult> results = new ArrayList<>(c.items().size());
    for (BatchItem item : c.items()) {
      try {
        if (!s.exists()) throw Rejection.walletNotFound(walletId);
        WalletState.Settled step = s.settle(rule(item).apply(s));
        events.addAll(step.events());
        s = step.state();
        results.add(new BatchResult(reservationView(s, itemReservationId(item)), null));
      } catch (Rejection r) {
        results.add(new BatchResult(null, r.body()));
      }
    }
    BatchResults answer = new BatchResults(List.copyOf(results));
    if (events.isEmpty()) return Effect().reply(c.replyTo(), answer);
    return Effect().persist(events).thenRun(this::armTimer).thenReply(c.replyTo(), x -> answer);
  }

  private Function<WalletState, List<WalletEvent>> rule(BatchItem item) {
    Instant now = now();
    if (item instanceof ReserveItem r) return x -> WalletRules.reserve(x, r.request(), r.unitCosts(), r.kind(), now);
    if (item instanceof CommitItem r) return x -> WalletRules.commit(x, r.reservationId(), r.lines(), now);
    if (item instanceof ReleaseItem r) return x -> WalletRules.release(x, r.reservationId(), now);
    RefundItem r = (RefundItem) item;
    return x -> WalletRules.refund(x, r.reservationId(), r.request(), now);
  }

  private static String itemReservationId(BatchItem item) {
    if (item instanceof ReserveItem r) return r.request().id();
    if (item instanceof CommitItem r) return r.reservationId();
    if (item instanceof ReleaseItem r) return r.reservationId();
    return ((RefundItem) item).reservationId();
  }

  private ReplyEffect<WalletEvent, WalletState> onWakeUp(WalletState state, WakeUp c) {
    List<WalletEvent> due = WalletRules.dueEvents(state, now(), policy).events();
    return (due.isEmpty() ? Effect().none() : Effect().persist(due))
        .thenRun(this::armTimer)
        .thenRun(s -> {
          if (c.replyTo() != null) c.replyTo().tell(Done.getInstance());
        })
        .thenNoReply();
  }

  /**
   * The one path of every command: due deadlines, then the rule, then one atomic persist of all
   * resulting events, then the answer. A rejection still persists the due deadlines.
   */
  private <T> ReplyEffect<WalletEvent, WalletState> act(
      WalletState state,
      ActorRef<StatusReply<T>> replyTo,
      boolean requiresWallet,
      Function<WalletState, List<WalletEvent>> rule,
      Function<WalletState, T> view) {
    WalletState.Settled due = WalletRules.dueEvents(state, now(), policy);
    List<WalletEvent> events = new ArrayList<>(due.events());
    StatusReply<T> reply;
    try {
      if (requiresWallet && !due.state().exists()) throw Rejection.walletNotFound(walletId);
      WalletState.Settled decided = due.state().settle(rule.apply(due.state()));
      events.addAll(decided.events());
      reply = StatusReply.success(view.apply(decided.state()));
    } catch (Rejection r) {
      reply = StatusReply.error(r);
    }
    if (events.isEmpty()) return Effect().reply(replyTo, reply);
    StatusReply<T> answer = reply;
    return Effect().persist(events).thenRun(this::armTimer).thenReply(replyTo, s -> answer);
  }

  /** Milliseconds are plenty for a ledger, and keep instants in answers short. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private WalletView walletView(WalletState s) {
    return WalletViews.wallet(walletId, s);
  }

  private ReservationView reservationView(WalletState s, String reservationId) {
    return WalletViews.reservation(
        s.requireReservation(reservationId));
  }

  /**
   * One timer for the next deadline; re-armed after every change and after recovery. The
   * wake-up index learns the deadline too, for when this wallet is passivated or its node dies;
   * it is written only when the deadline is earlier than the one indexed, or that one has passed
   * (a stale later row just causes a harmless early wake-up), so steady traffic writes little.
   */
  private void armTimer(WalletState s) {
    Instant now = now();
    s.nextDeadline(policy.reservationRetention())
        .ifPresentOrElse(
            at -> {
              if (s.exists() && (indexed == null || at.isBefore(indexed) || !indexed.isAfter(now))) {
                wakeups.schedule(walletId, at);
                indexed = at;
              }
              Duration delay = Duration.between(now, at);
              if (delay.isNegative()) delay = Duration.ZERO;
              if (delay.compareTo(MAX_TIMER) > 0) delay = MAX_TIMER;
              // A few ms late so the deadline is surely due when the timer fires.
              timers.startSingleTimer(DEADLINE_TIMER, new WakeUp(), delay.plusMillis(5));
            },
            () -> timers.cancel(DEADLINE_TIMER));
  }

  @Override
  public EventHandler<WalletState, WalletEvent> eventHandler() {
    return (state, event) -> state.apply(event);
  }

  @Override
  public SignalHandler<WalletState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::armTimer).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }

  @Override
  public Set<String> tagsFor(WalletEvent event) {
    return Set.of(tag);
  }
}
