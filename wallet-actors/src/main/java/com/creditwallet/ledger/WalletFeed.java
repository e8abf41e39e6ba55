package com.creditwallet.ledger;

import com.creditwallet.wallet.LedgerFeed;
import com.creditwallet.wallet.domain.WalletEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One wallet's feed to the read side (the {@link LedgerFeed} protocol): an actor next to the
 * wallet actor that projects each durable write right after it, one group at a time, with a
 * {@link LedgerWriter}. Events it has not been told (written by an earlier incarnation that died,
 * or dropped here while the store was failing) are read back from the journal; which ones those
 * are follows from the read side's watermark, so nothing is projected twice or skipped.
 *
 * <p>A failed read or write is retried with growing pauses; the wallet keeps answering meanwhile
 * (the read side lags, nothing is lost), and events told while failing are kept up to a bound,
 * then dropped and read back from the journal later.
 *
 * <p>A group that only moves the read side's watermark (a reservation adds a ledger line and no
 * totals) leaves the stored watermark behind for up to {@code watermarkFlush}; the feed then
 * writes it alone, and always before it removes its mark. Over many wallets this saves most of a
 * write per reservation; a crash replays at most that much of each wallet, harmlessly.
 *
 * <p>Feeds live under the actor system, one per wallet on a node (a registry maps wallet ids to
 * them), and watch their wallet. A wallet that stops without closing its feed (a journal write
 * that failed or timed out stops it, and such a write may still have landed) leaves an orphan:
 * the feed reads the journal on to its end, projects what it finds, removes the mark and stops.
 * A new incarnation of the wallet on this node meanwhile attaches to the same feed.
 */
public final class WalletFeed {
  /**
   * How a feed groups, retries and stores its watermark ({@code wallet.read-side});
   * {@code watermarkFlush} zero stores the watermark with every group, {@code linger} zero writes
   * each group as soon as the feed is free.
   */
  public record Settings(int maxGroup, int maxPending, Duration retryMin, Duration retryMax, Duration watermarkFlush,
      Duration linger) {}

  /** Reads a wallet's events {@code from..to} (inclusive) back from the journal. */
  @FunctionalInterface
  public interface JournalReader {
    CompletionStage<List<LedgerWriter.Fed>> read(String walletId, long from, long to);
  }

  /** What a feed needs from its node. */
  public record Parts(
      LedgerStore store, com.creditwallet.notify.Notifier notifier, com.creditwallet.notify.ExpiryAlerts alerts,
      FeedMarks marks, JournalReader journal, ProjectionLag lag, String owner, Clock clock, Settings settings) {}

  /** The feeds of one node. */
  public static LedgerFeed factory(ActorSystem<?> system, Parts parts) {
    Map<String, ActorRef<LedgerFeed.Message>> running = new ConcurrentHashMap<>();
    AtomicLong names = new AtomicLong();
    return walletId -> running.computeIfAbsent(walletId, id -> system.systemActorOf(
        Behaviors.<Object>setup(ctx -> Behaviors.withTimers(timers ->
            new WalletFeed(id, parts, running, ctx, timers).behavior())).<LedgerFeed.Message>narrow(),
        "ledger-feed-" + names.incrementAndGet(), Props.empty()));
  }

  private record Marked(Throwable failure) {}

  private record Unmarked(Throwable failure) {}

  private record WatermarkRead(Long watermark, Throwable failure) {}

  private record JournalRead(List<LedgerWriter.Fed> events, Throwable failure) {}

  private record Written(long upTo, long newestMillis, Throwable failure) {}

  private record Flushed(Throwable failure) {}

  private enum Retry { INSTANCE }

  /** The stored watermark has lagged for {@code watermarkFlush}: write it next. */
  private enum FlushDue { INSTANCE }

  /** The oldest pending event has waited {@code linger}: write the group. */
  private enum LingerDue { INSTANCE }

  /** A delete of the mark is tried this often before the feed closes anyway (a stale mark is harmless). */
  private static final int UNMARK_ATTEMPTS = 3;

  private final String walletId;
  private final Parts parts;
  /** The node's feeds by wallet id; this one leaves it before it stops. */
  private final Map<String, ActorRef<LedgerFeed.Message>> running;
  private final LedgerWriter writer;
  private final ActorContext<Object> ctx;
  private final TimerScheduler<Object> timers;

  /** Events told and not yet projected, in sequence order, without gaps. */
  private final ArrayDeque<LedgerWriter.Fed> pending = new ArrayDeque<>();
  /** The highest sequence number the wallet has persisted, as far as this feed knows. */
  private long known;
  /**
   * The highest sequence number this feed has put into a write (or read back from the journal):
   * events up to it may have reached the read side, so they are never written as fresh.
   */
  private long attempted;
  /** The read side's watermark (-1: not read yet, or unknown after a failure). */
  private long projected = -1;
  /** A read or write is in flight, or a retry is waiting. */
  private boolean busy;
  private boolean marked;
  private boolean marking;
  private boolean unmarking;
  private ActorRef<LedgerFeed.Opened> opening;
  private ActorRef<LedgerFeed.Closed> closing;
  /** The wallet actor this feed serves (null: it stopped). */
  private ActorRef<?> wallet;
  /** The wallet stopped without closing: project what the journal has, then stop. */
  private boolean orphan;
  /** An orphan found the journal's end: nothing left but the mark. */
  private boolean drained;
  private int failures;
  private int unmarkFailures;
  /** The watermark timer fired: store the watermark before the next group. */
  private boolean flushDue;

  private WalletFeed(String walletId, Parts parts, Map<String, ActorRef<LedgerFeed.Message>> running,
      ActorContext<Object> ctx, TimerScheduler<Object> timers) {
    this.walletId = walletId;
    this.parts = parts;
    this.running = running;
    this.writer = new LedgerWriter(walletId, parts.store(), parts.notifier(), parts.alerts(),
        !parts.settings().watermarkFlush().isZero());
    this.ctx = ctx;
    this.timers = timers;
  }

  /**
   * Two plain functions rather than a {@code BehaviorBuilder}: a node keeps a feed for each of its
   * up to 100,000 wallets in memory, and the builder kept a case, a lambda and a list cell per
   * message in each of them (about 80 MB at that count).
   */
  private Behavior<Object> behavior() {
    return Behaviors.receive((c, message) -> onMessage(message), (c, signal) -> onSignal(signal));
  }

  private Behavior<Object> onMessage(Object m) {
    if (m instanceof LedgerFeed.Persisted p) return onPersisted(p);
    if (m instanceof Written w) return onWritten(w);
    if (m instanceof Flushed f) return onFlushed(f);
    if (m == FlushDue.INSTANCE) return onFlushDue();
    if (m == LingerDue.INSTANCE) return onLingerDue();
    if (m instanceof LedgerFeed.Open o) return onOpen(o);
    if (m instanceof LedgerFeed.Close c) return onClose(c);
    if (m instanceof Marked k) return onMarked(k);
    if (m instanceof Unmarked u) return onUnmarked(u);
    if (m instanceof WatermarkRead r) return onWatermark(r);
    if (m instanceof JournalRead r) return onJournalRead(r);
    if (m == Retry.INSTANCE) return onRetry();
    return Behaviors.unhandled();
  }

  private Behavior<Object> onSignal(Signal signal) {
    if (signal instanceof Terminated t) return onWalletStopped(t);
    if (signal instanceof PostStop) running.remove(walletId, ctx.getSelf().<LedgerFeed.Message>narrow());
    return Behaviors.same();
  }

  private Behavior<Object> onOpen(LedgerFeed.Open o) {
    known = Math.max(known, o.lastSeq());
    if (!o.wallet().equals(wallet)) {
      if (wallet != null) ctx.unwatch(wallet);
      wallet = o.wallet();
      ctx.watch(wallet);
    }
    orphan = false;
    drained = false;
    if (marked && !unmarking) {
      o.replyTo().tell(LedgerFeed.Opened.INSTANCE);
      work();
    } else {
      opening = o.replyTo();
      if (!marking && !unmarking) mark();
    }
    return Behaviors.same();
  }

  /** A closed feed just ends with its wallet; an open one finishes from the journal first. */
  private Behavior<Object> onWalletStopped(Terminated t) {
    if (!t.getRef().equals(wallet)) return Behaviors.same();
    wallet = null;
    opening = null;
    if (!marked && !marking && !unmarking) return stop();
    orphan = true;
    work();
    return Behaviors.same();
  }

  /** Leaves the registry first, so a wallet attaching from now on gets a new feed. */
  private Behavior<Object> stop() {
    running.remove(walletId, ctx.getSelf().<LedgerFeed.Message>narrow());
    return Behaviors.stopped();
  }

  private void mark() {
    marking = true;
    ctx.pipeToSelf(parts.marks().mark(walletId, parts.owner(), parts.clock().instant()), (d, f) -> new Marked(f));
  }

  private Behavior<Object> onMarked(Marked m) {
    marking = false;
    if (m.failure() != null) {
      ctx.getLog().warn("wallet {}: could not mark its ledger feed, trying again: {}", walletId, m.failure().toString());
      timers.startSingleTimer(Retry.INSTANCE, backoff(++failures));
      return Behaviors.same();
    }
    marked = true;
    if (opening != null) opening.tell(LedgerFeed.Opened.INSTANCE);
    opening = null;
    work();
    return Behaviors.same();
  }

  private Behavior<Object> onPersisted(LedgerFeed.Persisted p) {
    long seq = p.firstSeq();
    long now = parts.clock().millis();
    for (WalletEvent e : p.events()) {
      // Only events that continue what is pending; after a gap the journal read fills in.
      if (pending.isEmpty() || pending.peekLast().seq() == seq - 1) pending.add(new LedgerWriter.Fed(seq, e, now, true));
      seq++;
    }
    known = Math.max(known, seq - 1);
    if (pending.size() > parts.settings().maxPending()) pending.clear();
    work();
    return Behaviors.same();
  }

  private Behavior<Object> onClose(LedgerFeed.Close c) {
    closing = c.replyTo();
    work();
    return Behaviors.same();
  }

  /** Starts the next step, if none is in flight. */
  private void work() {
    if (busy || !marked || unmarking) return;
    if (projected < 0) {
      busy = true;
      ctx.pipeToSelf(writer.watermark(), WatermarkRead::new);
      return;
    }
    while (!pending.isEmpty() && pending.peekFirst().seq() <= projected) pending.pollFirst();
    if (flushDue) {
      if (writer.lagging()) {
        flush();
        return;
      }
      flushDue = false; // a group with totals carried the watermark meanwhile
    }
    if (projected >= known) {
      if (orphan && !drained) {
        // The stopped wallet may have written more than it told (a write that timed out).
        busy = true;
        ctx.pipeToSelf(parts.journal().read(walletId, projected + 1, projected + parts.settings().maxGroup()),
            JournalRead::new);
      } else if (closing != null || orphan) {
        // A mark is removed only once the watermark is stored: the next incarnation starts from it.
        if (writer.lagging()) flush();
        else unmark();
      }
      return;
    }
    if (lingering()) return;
    busy = true;
    int max = parts.settings().maxGroup();
    if (!pending.isEmpty() && pending.peekFirst().seq() == projected + 1) {
      List<LedgerWriter.Fed> group = new ArrayList<>(Math.min(max, pending.size()));
      for (LedgerWriter.Fed f : pending) {
        if (group.size() == max) break;
        group.add(f);
      }
      write(group);
    } else {
      long to = Math.min(known, projected + max);
      if (!pending.isEmpty()) to = Math.min(to, pending.peekFirst().seq() - 1);
      ctx.pipeToSelf(parts.journal().read(walletId, projected + 1, to), JournalRead::new);
    }
  }

  /**
   * Whether the next group waits for more of the wallet's events: told events only, while the
   * wallet stays open and the group is not full (see {@link #lingerMillis}). Arms the timer that
   * ends the wait.
   */
  private boolean lingering() {
    if (pending.isEmpty() || pending.peekFirst().seq() != projected + 1) return false; // a journal read first
    long wait = lingerMillis(parts.settings(), pending.size(), pending.peekFirst().writtenAtMillis(),
        parts.clock().millis(), closing != null || orphan);
    if (wait <= 0) return false;
    if (!timers.isTimerActive(LingerDue.INSTANCE)) timers.startSingleTimer(LingerDue.INSTANCE, Duration.ofMillis(wait));
    return true;
  }

  /**
   * A group this large is written without waiting: its request's own cost, about that of two rows,
   * is then a small share of what its rows cost Cassandra. A hot wallet's groups reach it within
   * milliseconds, so only wallets written to now and then wait.
   */
  static final int LINGER_ENOUGH = 16;

  /**
   * How much longer a group of {@code size} told events, the oldest told at {@code oldestMillis},
   * waits before it is written (0 or less: now). Over many wallets a wallet is written to a few
   * times a second, and a ledger write of one line costs Cassandra about three times what the line
   * costs in a larger write (docs/performance.md, "What the store alone costs"): waiting a little
   * lets one write carry several. A group of {@link #LINGER_ENOUGH}, or a wallet stopping, never
   * waits.
   */
  static long lingerMillis(Settings settings, int size, long oldestMillis, long nowMillis, boolean finishing) {
    if (settings.linger().isZero() || finishing || size >= Math.min(LINGER_ENOUGH, settings.maxGroup())) return 0;
    return oldestMillis + settings.linger().toMillis() - nowMillis;
  }

  private Behavior<Object> onLingerDue() {
    work();
    return Behaviors.same();
  }

  /** Writes a group; its events count as tried from now on, whatever the outcome. */
  private void write(List<LedgerWriter.Fed> group) {
    LedgerWriter.Fed last = group.get(group.size() - 1);
    List<LedgerWriter.Fed> tried = freshAfter(group, attempted);
    attempted = Math.max(attempted, last.seq());
    ctx.pipeToSelf(writer.write(tried), (d, f) -> new Written(last.seq(), last.writtenAtMillis(), f));
  }

  /** The group with every event up to {@code attempted} (already in a write once) no longer fresh. */
  static List<LedgerWriter.Fed> freshAfter(List<LedgerWriter.Fed> group, long attempted) {
    List<LedgerWriter.Fed> out = new ArrayList<>(group.size());
    for (LedgerWriter.Fed f : group) out.add(f.seq() > attempted ? f : f.replayed());
    return out;
  }

  private Behavior<Object> onWatermark(WatermarkRead r) {
    busy = false;
    if (r.failure() != null) return failed("read its watermark", r.failure());
    projected = r.watermark();
    work();
    return Behaviors.same();
  }

  private Behavior<Object> onJournalRead(JournalRead r) {
    if (r.failure() != null) {
      busy = false;
      return failed("read its events back", r.failure());
    }
    if (r.events().isEmpty() && projected >= known) {
      // Nothing past what is known: an orphan has reached the journal's end (a read an
      // attaching wallet overtook just finds nothing, which is not a failure either).
      busy = false;
      if (orphan) drained = true;
      work();
      return Behaviors.same();
    }
    if (!r.events().isEmpty()) known = Math.max(known, r.events().get(r.events().size() - 1).seq());
    if (r.events().isEmpty() || r.events().get(0).seq() != projected + 1) {
      busy = false;
      return failed("read its events back", new IllegalStateException(
          "the journal returned no event " + (projected + 1) + " (known up to " + known + ")"));
    }
    write(r.events());
    return Behaviors.same();
  }

  private Behavior<Object> onWritten(Written w) {
    busy = false;
    if (w.failure() != null) return failed("write its ledger", w.failure());
    failures = 0;
    projected = Math.max(projected, w.upTo());
    parts.lag().processed(parts.clock().millis() - w.newestMillis());
    if (writer.lagging() && !timers.isTimerActive(FlushDue.INSTANCE)) {
      timers.startSingleTimer(FlushDue.INSTANCE, parts.settings().watermarkFlush());
    }
    work();
    return Behaviors.same();
  }

  private Behavior<Object> onFlushDue() {
    flushDue = true;
    work();
    return Behaviors.same();
  }

  private void flush() {
    busy = true;
    flushDue = false;
    timers.cancel(FlushDue.INSTANCE);
    ctx.pipeToSelf(writer.flushWatermark(), (d, f) -> new Flushed(f));
  }

  private Behavior<Object> onFlushed(Flushed f) {
    busy = false;
    if (f.failure() != null) return failed("store its watermark", f.failure());
    failures = 0;
    work();
    return Behaviors.same();
  }

  /** What this feed remembers may be stale now: start over from the stored watermark, after a pause. */
  private Behavior<Object> failed(String what, Throwable failure) {
    failures++;
    ctx.getLog().warn("wallet {}: the ledger feed could not {} (attempt {}), trying again: {}",
        walletId, what, failures, failure.toString());
    writer.forget();
    projected = -1;
    busy = true;
    timers.startSingleTimer(Retry.INSTANCE, backoff(failures));
    return Behaviors.same();
  }

  private Behavior<Object> onRetry() {
    if (!marked) {
      if (!marking) mark();
      return Behaviors.same();
    }
    busy = false;
    work();
    return Behaviors.same();
  }

  private void unmark() {
    unmarking = true;
    ctx.pipeToSelf(parts.marks().unmark(walletId, parts.owner()), (d, f) -> new Unmarked(f));
  }

  private Behavior<Object> onUnmarked(Unmarked u) {
    unmarking = false;
    if (u.failure() != null && ++unmarkFailures < UNMARK_ATTEMPTS) {
      ctx.getLog().warn("wallet {}: could not remove its ledger feed mark, trying again: {}", walletId,
          u.failure().toString());
      busy = true;
      timers.startSingleTimer(Retry.INSTANCE, backoff(unmarkFailures));
      return Behaviors.same();
    }
    // Closed even when the delete kept failing: a mark left behind only causes one needless wake-up.
    unmarkFailures = 0;
    marked = false;
    if (closing != null) closing.tell(LedgerFeed.Closed.INSTANCE);
    closing = null;
    // A wallet that attached while the mark was being removed needs it back before it writes.
    if (opening != null) mark();
    else if (wallet == null) return stop();
    return Behaviors.same();
  }

  private Duration backoff(int attempt) {
    Duration d = parts.settings().retryMin().multipliedBy(1L << Math.min(attempt - 1, 16));
    return d.compareTo(parts.settings().retryMax()) > 0 ? parts.settings().retryMax() : d;
  }
}
