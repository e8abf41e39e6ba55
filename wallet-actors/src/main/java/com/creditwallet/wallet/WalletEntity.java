package com.creditwallet.wallet;

import com.creditwallet.archive.ReservationArchive;
import com.creditwallet.metrics.WalletMetrics;
import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.Configured;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.WalletViews.SubBudgetView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.snapshot.SnapshotPolicy;
import com.creditwallet.snapshot.SnapshotPruner;
import com.creditwallet.wallet.domain.Decision;
import com.creditwallet.wallet.domain.Estimate;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Reservation;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationRecord;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsArchived;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;

/**
 * One wallet as a sharded, event-sourced actor. It serializes every command of its wallet, so no
 * two reservations ever race for the same credits. It holds no rules of its own; what it adds
 * around {@link WalletDecider} is ordering and I/O:
 *
 * <ul>
 *   <li><b>Group commit.</b> Commands are queued and decided together, in arrival order, when the
 *       wallet gets to them: everything that arrived while the previous journal write was in
 *       flight goes into the next write (at most {@code maxEventsPerWrite} events). Each answer
 *       is sent only once its write is durable.
 *   <li><b>Archive lookups.</b> A command naming a reservation that is not in memory (a retry, a
 *       late commit or refund, or a new id that must not have been used before) waits for one
 *       archive read for the whole group; the order of commands is kept meanwhile.
 *   <li><b>Archiving.</b> Finished reservations past the recent window (or beyond its size) are
 *       written to the archive, and only then, by a {@code ReservationsArchived} event, leave
 *       memory: a crash in between just archives them again.
 *   <li><b>Ledger feed.</b> A feed actor on the same node ({@link LedgerFeed}) gets every
 *       durable write and projects it to the read side. The wallet writes nothing until its feed has marked it as
 *       fed, and stops only once the feed has caught up, so no event is left unprojected.
 * </ul>
 *
 * Replies are sent by hand after the write (several per write), so every command handler returns
 * {@code noReply()}; {@link WalletDecider} gives every queued command exactly one answer.
 */
public final class WalletEntity
    extends EventSourcedBehaviorWithEnforcedReplies<WalletEntity.Command, WalletEvent, WalletState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Wallet");

  /** Timers far in the future are re-armed from state on each command, so a day is enough. */
  private static final Duration MAX_TIMER = Duration.ofDays(1);

  /** Deadlines that failed to apply are tried again after this long. */
  private static final Duration DEADLINE_RETRY = Duration.ofSeconds(10);

  /** A failed archive write is tried again after this long. */
  private static final Duration ARCHIVE_RETRY = Duration.ofSeconds(1);

  /** Reservations per archive write: bounded, like every journal write. */
  static final int ARCHIVE_BATCH = 2_000;

  /** New work waits while more than this many times recent-max finished reservations are in memory. */
  private static final int BACKPRESSURE_RECENT_FACTOR = 3;

  private static final String DEADLINE_TIMER = "deadline";
  private static final String INDEX_RETRY_TIMER = "index-retry";
  private static final String STOP_TIMER = "stop";

  /** A failed wake-up index write is tried again after this long. */
  private static final Duration INDEX_RETRY = Duration.ofSeconds(1);

  public sealed interface Command extends CborSerializable {}

  /** A command answered with an {@link Outcome}. */
  public sealed interface Asking<T> extends Command {
    ActorRef<Outcome<T>> replyTo();
  }

  public record Configure(WalletSettings.SettingsUpdate update, ActorRef<Outcome<Configured>> replyTo)
      implements Asking<Configured> {}

  public record GetWallet(ActorRef<Outcome<WalletView>> replyTo) implements Asking<WalletView> {}

  public record IssueGrant(GrantRequest request, ActorRef<Outcome<GrantView>> replyTo) implements Asking<GrantView> {}

  /** {@code unitCosts}: the rate card's cost of one unit, for the operation form (else null). */
  public record Reserve(
      ReserveRequest request,
      Map<String, Long> unitCosts,
      ReservationKind kind,
      ActorRef<Outcome<ReservationView>> replyTo)
      implements Asking<ReservationView> {
    public Reserve(ReserveRequest request, ReservationKind kind, ActorRef<Outcome<ReservationView>> replyTo) {
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
      ActorRef<Outcome<Estimate>> replyTo)
      implements Asking<Estimate> {}

  /** Creates a sub-budget or sets its allocation (empty: it spends from the unassigned pool). */
  public record ConfigureSubBudget(
      String subBudget, Map<String, Long> allocated, ActorRef<Outcome<SubBudgetView>> replyTo)
      implements Asking<SubBudgetView> {}

  /**
   * Several spending commands for this wallet in one go (the batch API): applied in order on the
   * evolving state, persisted together, answered together. One item's refusal never affects the
   * others.
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
  public record Commit(String reservationId, List<Line> lines, ActorRef<Outcome<ReservationView>> replyTo)
      implements Asking<ReservationView> {}

  public record Release(String reservationId, ActorRef<Outcome<ReservationView>> replyTo)
      implements Asking<ReservationView> {}

  public record Refund(
      String reservationId, RefundRequest request, ActorRef<Outcome<ReservationView>> replyTo)
      implements Asking<ReservationView> {}

  public record GetReservation(String reservationId, ActorRef<Outcome<ReservationView>> replyTo)
      implements Asking<ReservationView> {}

  public record GetAudit(ActorRef<Outcome<AuditReport>> replyTo) implements Asking<AuditReport> {}

  /** Subscribes to (or changes to) the plan given, as it was read from the plan registry. */
  public record Subscribe(Plan plan, ActorRef<Outcome<WalletView>> replyTo) implements Asking<WalletView> {}

  /**
   * Apply what is due. From the wallet's own timer {@code replyTo} is null; the wake-up poller
   * asks for an acknowledgement, sent once what was due is persisted.
   */
  public record WakeUp(ActorRef<Done> replyTo) implements Command {
    public WakeUp() {
      this(null);
    }
  }

  /**
   * Sharding's stop message (shard handoff when nodes come and go, passivation): the wallet
   * first answers every command it has already queued, then stops, so a rebalance fails no
   * request that had reached the wallet.
   */
  public enum Stop implements Command { INSTANCE }

  // ---- the entity's own messages (never sent by others, never leave the node) ---------------

  /** Decide what is queued: sent to self, so every command already in the mailbox joins the group. */
  private enum Flush implements Command { INSTANCE }

  /** The archive read for {@code ids} came back ({@code failure} null on success). */
  private record ArchiveRead(Set<String> ids, Map<String, byte[]> found, Throwable failure) implements Command {}

  /** The ledger feed has marked this wallet as fed: writes may start. */
  private enum FeedOpened implements Command { INSTANCE }

  /** The ledger feed projected everything and removed its mark: the wallet may stop. */
  private enum FeedClosed implements Command { INSTANCE }

  /** The ledger feed actor stopped (it failed, or finished just as this wallet attached): open a new one. */
  private enum FeedStopped implements Command { INSTANCE }

  /** The wake-up index write for {@code at} came back: {@code written} is what it indexed. */
  private record Indexed(Instant at, Instant written, Throwable failure) implements Command {}

  /** The archive write of these reservation revisions came back. */
  private record ArchiveWritten(Map<String, Integer> revisions, Throwable failure) implements Command {}

  private final String walletId;
  private final Clock clock;
  private final WalletPolicy policy;
  private final SnapshotPolicy snapshots;
  private final SnapshotPruner pruner;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final WakeupIndex wakeups;
  private final ReservationArchive archive;
  private final LedgerFeed feeds;

  /** Where the ledger feed is: the wallet decides and writes only while it is OPEN. */
  private enum FeedState { OPENING, OPEN, CLOSING }

  /** This incarnation's feed (null without a read side, before recovery ended, or after it stopped). */
  private ActorRef<LedgerFeed.Message> feed;
  private FeedState feedState;

  // Per-incarnation, never persisted: a restart loses only commands not yet answered, whose
  // clients time out and retry with the same ids, which is safe.
  private final List<Command> queue = new ArrayList<>();
  private boolean flushQueued;
  private boolean reading;
  private boolean archiving;
  /** After a failed archive write, no new one before this (null: any time). */
  private Instant archiveNotBefore;
  private final Map<String, Reservation> archived = new HashMap<>();
  private final Set<String> notArchived = new HashSet<>();
  private final Set<String> unreadable = new HashSet<>();
  /** The events of the write in flight and the states the decision computed for them. */
  private List<WalletEvent> liveEvents = List.of();
  private List<WalletState> liveStates = List.of();
  private int liveIndex;
  /** The deadline last written to the wake-up index by this incarnation (null: none yet). */
  private Instant indexed;
  /** A wake-up index write is in flight. */
  private boolean indexing;
  /** Sequence number of the last snapshot taken by this incarnation (or where recovery ended). */
  private long lastSnapshotSeq;
  /** Entries in the state at that snapshot: the next one waits at least as many events. */
  private int lastSnapshotWeight;
  /** The snapshot before the latest one saved by this incarnation (0: none yet). */
  private long previousSnapshotSeq;
  /** When this incarnation started: its recovery time is measured from here. */
  private final long startedNanos = System.nanoTime();

  private WalletEntity(
      String walletId, Clock clock, WalletPolicy policy, int snapshotEvery, WakeupIndex wakeups,
      ReservationArchive archive, SnapshotPruner pruner, LedgerFeed feeds, ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), walletId));
    this.wakeups = wakeups;
    this.archive = archive;
    this.walletId = walletId;
    this.clock = clock;
    this.policy = policy;
    this.snapshots = new SnapshotPolicy(snapshotEvery);
    this.pruner = pruner;
    this.context = context;
    this.timers = timers;
    this.feeds = feeds;
    // Without a read side there is nothing to wait for; with one, recovery opens the feed.
    this.feedState = feeds == LedgerFeed.NONE ? FeedState.OPEN : FeedState.OPENING;
  }

  /** A wallet whose old snapshots are kept (the in-memory snapshot store of tests). */
  public static Behavior<Command> create(
      String walletId, Clock clock, WalletPolicy policy, int snapshotEvery, WakeupIndex wakeups,
      ReservationArchive archive) {
    return create(walletId, clock, policy, snapshotEvery, wakeups, archive, SnapshotPruner.NONE, LedgerFeed.NONE);
  }

  public static Behavior<Command> create(
      String walletId, Clock clock, WalletPolicy policy, int snapshotEvery, WakeupIndex wakeups,
      ReservationArchive archive, SnapshotPruner pruner) {
    return create(walletId, clock, policy, snapshotEvery, wakeups, archive, pruner, LedgerFeed.NONE);
  }

  public static Behavior<Command> create(
      String walletId, Clock clock, WalletPolicy policy, int snapshotEvery, WakeupIndex wakeups,
      ReservationArchive archive, SnapshotPruner pruner, LedgerFeed feeds) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new WalletEntity(walletId, clock, policy, snapshotEvery, wakeups, archive, pruner, feeds, ctx, timers)));
  }

  @Override
  public WalletState emptyState() {
    return WalletState.EMPTY;
  }

  /**
   * One handler for every state, as a plain method: the internal commands are answered here, and
   * every client command joins the queue that {@link #onFlush} decides in order. The builder form
   * keeps a case, a lambda and a list cell per command in each wallet; with 100,000 wallets in
   * memory that was about 60 MB of the node's heap, for a choice a few {@code instanceof} make.
   */
  @Override
  public CommandHandlerWithReply<Command, WalletEvent, WalletState> commandHandler() {
    return this::handle;
  }

  private ReplyEffect<WalletEvent, WalletState> handle(WalletState state, Command c) {
    if (c == Flush.INSTANCE) return onFlush(state);
    if (c instanceof ArchiveRead r) return onArchiveRead(state, r);
    if (c instanceof ArchiveWritten w) return onArchiveWritten(state, w);
    if (c instanceof Indexed i) return onIndexed(state, i);
    if (c == Stop.INSTANCE) return onStop();
    if (c == FeedOpened.INSTANCE) return onFeedOpened(state);
    if (c == FeedClosed.INSTANCE) return onFeedClosed(state);
    if (c == FeedStopped.INSTANCE) return onFeedStopped();
    return enqueue(state, c);
  }

  private ReplyEffect<WalletEvent, WalletState> enqueue(WalletState state, Command c) {
    queue.add(c);
    queueFlush();
    return Effect().noReply();
  }

  /**
   * Stops once nothing queued is left unanswered and the ledger feed has projected every event
   * (so the next incarnation, here or on another node, is the only one writing this wallet's
   * read side); sharding sends nothing new meanwhile.
   */
  private ReplyEffect<WalletEvent, WalletState> onStop() {
    if (!queue.isEmpty() || reading || flushQueued || feedState == FeedState.OPENING) {
      timers.startSingleTimer(STOP_TIMER, Stop.INSTANCE, Duration.ofMillis(10));
      return Effect().noReply();
    }
    if (feed == null) return Effect().stop().thenNoReply();
    if (feedState == FeedState.OPEN) {
      feedState = FeedState.CLOSING;
      feed.tell(new LedgerFeed.Close(context.messageAdapter(LedgerFeed.Closed.class, c -> FeedClosed.INSTANCE)));
    }
    return Effect().noReply();
  }

  /** Asks the feed for its mark; nothing is decided until it answers. */
  private void openFeed() {
    if (feed == null) {
      feed = feeds.attach(walletId);
      context.watchWith(feed, FeedStopped.INSTANCE);
    }
    feedState = FeedState.OPENING;
    feed.tell(new LedgerFeed.Open(lastSequenceNumber(context), context.getSelf(),
        context.messageAdapter(LedgerFeed.Opened.class, o -> FeedOpened.INSTANCE)));
  }

  private ReplyEffect<WalletEvent, WalletState> onFeedOpened(WalletState state) {
    // An answer from a feed that stopped since (FeedStopped reopened another) is not this one's.
    if (feedState != FeedState.OPENING) return Effect().noReply();
    feedState = FeedState.OPEN;
    afterChange(state);
    if (!queue.isEmpty()) queueFlush();
    return Effect().noReply();
  }

  /** Commands that came in while the feed was closing are decided first (after a new mark). */
  private ReplyEffect<WalletEvent, WalletState> onFeedClosed(WalletState state) {
    if (queue.isEmpty() && !reading && !flushQueued) return Effect().stop().thenNoReply();
    openFeed();
    timers.startSingleTimer(STOP_TIMER, Stop.INSTANCE, Duration.ofMillis(10));
    return Effect().noReply();
  }

  /**
   * A new feed catches up from the read side's watermark to where this wallet is, so nothing
   * the old one had not projected is lost; the wallet writes nothing until it has its mark.
   */
  private ReplyEffect<WalletEvent, WalletState> onFeedStopped() {
    context.getLog().warn("wallet {}: its ledger feed stopped; opening a new one", walletId);
    boolean wasClosing = feedState == FeedState.CLOSING;
    feed = null;
    openFeed();
    if (wasClosing) timers.startSingleTimer(STOP_TIMER, Stop.INSTANCE, Duration.ofMillis(10));
    return Effect().noReply();
  }

  /** Tells the feed what a journal write just made durable. */
  private void fed(List<WalletEvent> events) {
    if (feed != null) feed.tell(new LedgerFeed.Persisted(lastSequenceNumber(context) - events.size() + 1, events));
  }

  private void queueFlush() {
    if (!flushQueued && !reading && feedState == FeedState.OPEN) {
      flushQueued = true;
      context.getSelf().tell(Flush.INSTANCE);
    }
  }

  private ReplyEffect<WalletEvent, WalletState> onFlush(WalletState state) {
    flushQueued = false;
    if (reading || feedState != FeedState.OPEN) return Effect().noReply();
    Set<String> missing = new LinkedHashSet<>();
    for (Command c : queue) missing.addAll(unresolved(c, state));
    if (missing.isEmpty()) return decideQueued(state);
    reading = true;
    context.pipeToSelf(archive.find(walletId, missing), (found, failure) -> new ArchiveRead(missing, found, failure));
    return Effect().noReply();
  }

  private ReplyEffect<WalletEvent, WalletState> onArchiveRead(WalletState state, ArchiveRead r) {
    reading = false;
    if (r.failure() != null) {
      context.getLog().warn("wallet {}: archive read failed; the commands that needed it are refused: {}",
          walletId, r.failure().toString());
      unreadable.addAll(r.ids());
    } else {
      for (String id : r.ids()) {
        byte[] payload = r.found().get(id);
        if (payload == null) notArchived.add(id);
        else archived.put(id, ReservationCodec.decode(payload).toReservation());
      }
    }
    return decideQueued(state);
  }

  /**
   * Reservation ids a queued command names that are neither in memory nor looked up yet. None
   * while nothing was ever archived: then the archive cannot have them.
   */
  private Set<String> unresolved(Command c, WalletState state) {
    if (state.archivedTotal() == 0) return Set.of();
    Set<String> out = new LinkedHashSet<>();
    for (String id : namedReservations(c)) {
      if (state.reservation(id).isEmpty() && !archived.containsKey(id) && !notArchived.contains(id)
          && !unreadable.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  private static List<String> namedReservations(Command c) {
    if (c instanceof Reserve x) return List.of(x.request().id());
    if (c instanceof Commit x) return List.of(x.reservationId());
    if (c instanceof Release x) return List.of(x.reservationId());
    if (c instanceof Refund x) return List.of(x.reservationId());
    if (c instanceof GetReservation x) return List.of(x.reservationId());
    if (c instanceof Batch b) {
      List<String> ids = new ArrayList<>(b.items().size());
      for (BatchItem i : b.items()) {
        if (i instanceof ReserveItem x) ids.add(x.request().id());
        else if (i instanceof CommitItem x) ids.add(x.reservationId());
        else if (i instanceof ReleaseItem x) ids.add(x.reservationId());
        else if (i instanceof RefundItem x) ids.add(x.reservationId());
      }
      return ids;
    }
    return List.of();
  }

  /**
   * Decides the queue from its head, in order: due deadlines first, then each command whose
   * lookups are done, until the write is full or a command still needs the archive; persists it
   * all in one write and answers after it. What is left waits for the next flush.
   */
  private ReplyEffect<WalletEvent, WalletState> decideQueued(WalletState state) {
    Instant now = now();
    Decision d = new Decision(state, policy).withArchived(archived);
    WalletDecider.Due due = WalletDecider.applyDue(d, now, walletId);
    if (due == WalletDecider.Due.FAILED) return refuseQueued(state);
    boolean caughtUp = due == WalletDecider.Due.CAUGHT_UP;
    List<WalletDecider.Answer<?>> answers = new ArrayList<>();
    // Backpressure: while the archive is far behind, new work waits for its write to finish, so
    // memory stays bounded even when the store is slower than the traffic.
    boolean archiveBehind = archiving && state.recentCount() >= BACKPRESSURE_RECENT_FACTOR * policy.recentMax();
    if (caughtUp && !archiveBehind) {
      int taken = 0;
      while (taken < queue.size() && d.size() < policy.maxEventsPerWrite()) {
        Command c = queue.get(taken);
        if (!unresolved(c, d.state()).isEmpty()) break;
        if (namedReservations(c).stream().anyMatch(unreadable::contains)) {
          answers.add(unavailable(c));
        } else {
          WalletDecider.Answer<?> answer = WalletDecider.decide(d, c, now, walletId);
          WalletMetrics.get().decided(c, answer.message());
          answers.add(answer);
        }
        taken++;
      }
      queue.subList(0, taken).clear();
    }
    archived.clear();
    notArchived.clear();
    unreadable.clear();
    boolean more = !caughtUp || (!queue.isEmpty() && !archiveBehind);
    if (d.size() == 0) {
      answers.forEach(WalletDecider.Answer::send);
      afterChange(state);
      if (more) queueFlush();
      return Effect().noReply();
    }
    liveEvents = d.events();
    liveStates = d.states();
    liveIndex = 0;
    long writeStart = System.nanoTime();
    List<WalletEvent> written = liveEvents;
    return Effect().persist(liveEvents).thenRun(s -> {
      WalletMetrics.get().written(written.size(), writeStart);
      fed(written);
      answers.forEach(WalletDecider.Answer::send);
      afterChange(s);
      if (more) queueFlush();
    }).thenNoReply();
  }

  /**
   * A rule failed while applying what is due: nothing changed; the queued commands answer
   * INTERNAL at once (no client waits for a timeout) and the wallet keeps running. It tries
   * again by itself after a pause, not at once, so a lasting fault cannot spin.
   */
  private ReplyEffect<WalletEvent, WalletState> refuseQueued(WalletState state) {
    for (Command c : queue) {
      WalletDecider.Answer<?> answer = WalletDecider.failed(c);
      WalletMetrics.get().decided(c, answer.message());
      answer.send();
    }
    queue.clear();
    archived.clear();
    notArchived.clear();
    unreadable.clear();
    timers.startSingleTimer(DEADLINE_TIMER, new WakeUp(), DEADLINE_RETRY);
    startArchiving(state);
    return Effect().noReply();
  }

  /** The archive could not be read: this command cannot be decided safely now (retry is safe). */
  private WalletDecider.Answer<?> unavailable(Command c) {
    Rejection.Body body = new Rejection(Rejection.ARCHIVE_UNAVAILABLE,
        "the reservation archive could not be read; retrying with the same id is safe", Map.of()).body();
    if (c instanceof Batch b) {
      List<BatchResult> results = new ArrayList<>();
      for (int i = 0; i < b.items().size(); i++) results.add(new BatchResult(null, body));
      return new WalletDecider.Answer<>(b.replyTo(), new BatchResults(results));
    }
    return rejected((Asking<?>) c, body);
  }

  private static <T> WalletDecider.Answer<Outcome<T>> rejected(Asking<T> c, Rejection.Body body) {
    return new WalletDecider.Answer<>(c.replyTo(), Outcome.rejected(body));
  }

  /**
   * After every change (and after recovery): start archiving if due, then re-arm the timer, which
   * then knows whether an archive write is under way.
   */
  private void afterChange(WalletState s) {
    startArchiving(s);
    armTimer(s);
  }

  /** No write under way, and the feed open (it takes the write's event). */
  private boolean archiveMayStart() {
    return !archiving && feedState == FeedState.OPEN;
  }

  private void startArchiving(WalletState s) {
    if (!archiveMayStart() || (archiveNotBefore != null && now().isBefore(archiveNotBefore))) return;
    List<Reservation> due = s.archivable(now(), policy, ARCHIVE_BATCH);
    if (due.isEmpty()) return;
    archiving = true;
    Map<String, Integer> revisions = new TreeMap<>();
    for (Reservation r : due) revisions.put(r.reservationId(), r.revision());
    // Encoded when the store gets its turn, off this actor: reservations are immutable.
    context.pipeToSelf(archive.storeInTurn(walletId, () -> rows(due)),
        (done, failure) -> new ArchiveWritten(revisions, failure));
  }

  private static List<ReservationArchive.Row> rows(List<Reservation> due) {
    List<ReservationArchive.Row> rows = new ArrayList<>(due.size());
    for (Reservation r : due) {
      rows.add(new ReservationArchive.Row(r.reservationId(), ReservationCodec.encode(ReservationRecord.of(r))));
    }
    return rows;
  }

  private ReplyEffect<WalletEvent, WalletState> onArchiveWritten(WalletState state, ArchiveWritten w) {
    archiving = false;
    archiveNotBefore = null;
    if (w.failure() != null) {
      context.getLog().warn("wallet {}: archive write failed, trying again: {}", walletId, w.failure().toString());
      archiveNotBefore = now().plus(ARCHIVE_RETRY);
      armTimer(state); // the retry, unless a rule's deadline comes first
      if (!queue.isEmpty()) queueFlush();
      return Effect().noReply();
    }
    // A feed that is closing takes no more events: the rows are simply archived again next time.
    if (feedState != FeedState.OPEN) return Effect().noReply();
    Decision d = new Decision(state, policy);
    d.emit(new ReservationsArchived(now(), w.revisions(), Map.of()));
    liveEvents = d.events();
    liveStates = d.states();
    liveIndex = 0;
    List<WalletEvent> written = liveEvents;
    return Effect().persist(liveEvents).thenRun(s -> {
      fed(written);
      afterChange(s);
      if (!queue.isEmpty()) queueFlush();
    }).thenNoReply();
  }

  /** Milliseconds are plenty for a ledger, and keep instants in answers short. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * One timer for the next thing to do; re-armed after every change and after recovery. The
   * wake-up index learns the deadline too, for when this wallet is passivated or its node dies;
   * it is written only when the deadline is earlier than the one indexed, or that one has passed
   * (a stale later row just causes a harmless early wake-up), so steady traffic writes little.
   */
  private void armTimer(WalletState s) {
    Instant now = now();
    nextDeadline(s)
        .ifPresentOrElse(
            at -> {
              if (s.exists() && !indexing && (indexed == null || at.isBefore(indexed) || !indexed.isAfter(now))) {
                indexing = true;
                context.pipeToSelf(wakeups.schedule(walletId, at), (written, failure) -> new Indexed(at, written, failure));
              }
              Duration delay = Duration.between(now, at);
              if (delay.isNegative()) delay = Duration.ZERO;
              if (delay.compareTo(MAX_TIMER) > 0) delay = MAX_TIMER;
              // A few ms late so the deadline is surely due when the timer fires.
              timers.startSingleTimer(DEADLINE_TIMER, new WakeUp(), delay.plusMillis(5));
            },
            () -> timers.cancel(DEADLINE_TIMER));
  }

  /**
   * The state's next deadline, but the archive's only when a write may start: while one is under
   * way (or waiting its turn) its end re-arms, as the feed's opening does, and after a failed one
   * not before the retry. A deadline already past would otherwise wake the wallet every few
   * milliseconds, and rewrite its wake-up row each time, for as long as the write takes: during a
   * wave of archiving, a thousand wallets spinning like that took the node's whole CPU
   * (docs/performance.md, "A million holds due at a restart").
   */
  private Optional<Instant> nextDeadline(WalletState s) {
    Optional<Instant> rules = s.ruleDeadline(policy);
    if (!archiveMayStart()) return rules;
    Optional<Instant> archive = s.archiveDeadline(policy)
        .map(at -> archiveNotBefore != null && at.isBefore(archiveNotBefore) ? archiveNotBefore : at);
    return WalletState.earliest(rules, archive);
  }

  /**
   * Only a written row counts as indexed: after a failure the wallet tries again shortly (by
   * waking itself), so it never passivates trusting a row that is not there. Re-checks the
   * deadline, which may have moved while the write was in flight.
   */
  private ReplyEffect<WalletEvent, WalletState> onIndexed(WalletState state, Indexed r) {
    indexing = false;
    if (r.failure() != null) {
      context.getLog().warn("wallet {}: could not index its deadline {}, trying again: {}",
          walletId, r.at(), r.failure().toString());
      timers.startSingleTimer(INDEX_RETRY_TIMER, new WakeUp(), INDEX_RETRY);
    } else {
      indexed = r.written();
      armTimer(state);
    }
    return Effect().noReply();
  }

  /**
   * Folds each event once: a live event was already folded by its decision, so its state is
   * taken from there (by identity); only recovery folds here.
   */
  @Override
  public EventHandler<WalletState, WalletEvent> eventHandler() {
    return (state, event) -> {
      if (liveIndex < liveEvents.size() && liveEvents.get(liveIndex) == event) {
        WalletState next = liveStates.get(liveIndex++);
        if (liveIndex == liveEvents.size()) {
          liveEvents = List.of();
          liveStates = List.of();
          liveIndex = 0;
        }
        return next;
      }
      return state.apply(event);
    };
  }

  @Override
  public SignalHandler<WalletState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          WalletMetrics.get().recovered(startedNanos);
          // The latest snapshot is at or before here; counting from here only delays the next one.
          lastSnapshotSeq = lastSequenceNumber(context);
          lastSnapshotWeight = weight(s);
          if (feeds != LedgerFeed.NONE) openFeed();
          afterChange(s);
        })
        .onSignal(SnapshotCompleted.class, (s, done) -> pruneBefore(done.metadata().sequenceNr()))
        .onSignal(SnapshotFailed.class, (s, failed) -> context.getLog().warn(
            "wallet {}: snapshot failed (the journal still has every event): {}", walletId, failed.getFailure().toString()))
        .build();
  }

  /**
   * Snapshots by {@link SnapshotPolicy}: sized to the state, so a wallet with many open holds is
   * not serialized whole every few hundred events.
   */
  @Override
  public boolean shouldSnapshot(WalletState state, WalletEvent event, long sequenceNr) {
    if (!snapshots.due(sequenceNr - lastSnapshotSeq, lastSnapshotWeight)) return false;
    lastSnapshotSeq = sequenceNr;
    lastSnapshotWeight = weight(state);
    return true;
  }

  /** What a snapshot of {@code s} holds, in entries: its cost and recovery time grow with it. */
  private static int weight(WalletState s) {
    return s.reservations().size() + s.grants().size();
  }

  /** Keeps the two latest snapshots: deletes those before the previous one. */
  private void pruneBefore(long saved) {
    long keepFrom = previousSnapshotSeq;
    previousSnapshotSeq = saved;
    if (keepFrom <= 0) return;
    Logger log = context.getLog(); // the context is not to be touched from the callback's thread
    pruner.deleteBefore(persistenceId().id(), keepFrom).whenComplete((done, failure) -> {
      // Best effort: an unpruned snapshot costs only space, and the next prune covers it.
      if (failure != null) log.debug("wallet {}: pruning old snapshots failed: {}", walletId, failure.toString());
    });
  }
}
