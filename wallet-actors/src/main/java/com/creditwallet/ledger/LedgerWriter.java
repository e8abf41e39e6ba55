package com.creditwallet.ledger;

import com.creditwallet.notify.ExpiryAlerts;
import com.creditwallet.notify.Notification;
import com.creditwallet.notify.Notifier;
import com.creditwallet.wallet.domain.WalletEvent;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Writes one wallet's events to the read side, a group at a time, in order: read the wallet's
 * read state (once), drop events at or below its watermark (already counted: this is what makes
 * replays harmless), project the rest with {@link LedgerProjector}, write ledger lines,
 * reservations and expiry alerts, record notifications (deduplicated by their derived ids), and
 * last write the new usage totals together with the new watermark. A crash anywhere before that
 * last write replays the same events into the same rows and ids.
 *
 * <p>A group that changes no totals and no state but the watermark (every reservation, which adds
 * a ledger line and nothing to the usage report) may leave the stored watermark behind
 * ({@code deferWatermark}): its feed writes it later with {@link #flushWatermark()}, or the next
 * group with totals carries it. Over many wallets that write was a third of a single
 * reservation's Cassandra writes. Replaying the groups after the stored watermark is harmless, as
 * above, so a crash only costs their rows written again.
 *
 * <p>One instance per wallet incarnation, used by its feed ({@link WalletFeed}) one group at a
 * time. It remembers what it last wrote (read state, the totals of the days it touched, the
 * reservations opened, the months recorded), so a busy wallet's next group needs no reads: at
 * thousands of events a second the reads would cost Cassandra more than the writes. Safe because
 * the wallet's feed is the only writer of its read side while it runs, it records what it wrote
 * only after the write succeeded, and {@link #forget()} drops it all after a failure.
 */
public final class LedgerWriter {
  /**
   * One durable event of the wallet: its sequence number, when it was written (epoch ms), and
   * whether it is fresh: told by the wallet that just wrote it and never in a write attempt
   * before, so no notification of it can be stored yet and none needs a lightweight transaction
   * to be recorded once. Events read back from the journal, and events of a retried group, are
   * not fresh.
   */
  public record Fed(long seq, WalletEvent event, long writtenAtMillis, boolean fresh) {
    /** An event that may have been projected before (the safe default). */
    public Fed(long seq, WalletEvent event, long writtenAtMillis) {
      this(seq, event, writtenAtMillis, false);
    }

    /** The same event, to be treated as possibly projected before. */
    public Fed replayed() {
      return fresh ? new Fed(seq, event, writtenAtMillis, false) : this;
    }
  }

  /** Reservations opened recently whose details commits need without a read (bounded per wallet). */
  private static final int RECENT_MAX = 5_000;
  /** Days of totals kept: today, and yesterday for events around midnight. */
  private static final int KEPT_DAYS = 2;

  private final String walletId;
  private final LedgerStore store;
  private final Notifier notifier;
  private final ExpiryAlerts alerts;
  private final boolean deferWatermark;
  /**
   * A wallet of the service's own (its id has a {@code '~'}, which no client id can hold: the
   * nodes' warm-up wallets): its ledger is written, but it never notifies and never schedules an
   * expiry alert, so a webhook that hears every wallet hears only clients' wallets.
   */
  private final boolean internal;

  /** The read state as projected so far (null: not read yet); its watermark may be ahead of {@link #stored}'s. */
  private WalletReadState state;
  /** The read state as stored: read, or last committed (null: not read yet). */
  private WalletReadState stored;
  /** The full totals of the days last touched, as committed. */
  private TreeMap<LocalDate, Map<UsageKey, UsageTotals>> days = new TreeMap<>();
  private final Map<String, ReservationInfo> recent = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ReservationInfo> eldest) {
      return size() > RECENT_MAX;
    }
  };
  /** Ledger months already recorded, so each is written once per incarnation. */
  private final Set<String> months = new HashSet<>();

  /** A writer that commits every group's watermark at once. */
  public LedgerWriter(String walletId, LedgerStore store, Notifier notifier, ExpiryAlerts alerts) {
    this(walletId, store, notifier, alerts, false);
  }

  /** {@code deferWatermark}: a group that only moves the watermark leaves it for {@link #flushWatermark()}. */
  public LedgerWriter(String walletId, LedgerStore store, Notifier notifier, ExpiryAlerts alerts, boolean deferWatermark) {
    this.walletId = walletId;
    this.store = store;
    this.notifier = notifier;
    this.alerts = alerts;
    this.deferWatermark = deferWatermark;
    this.internal = isInternal(walletId);
  }

  /** Whether {@code walletId} is one of the service's own wallets (see {@link #internal}). */
  static boolean isInternal(String walletId) {
    return walletId.indexOf('~') >= 0;
  }

  /** The sequence number of the last event the read side counted for this wallet (0: none). */
  public CompletionStage<Long> watermark() {
    return current().thenApply(WalletReadState::watermark);
  }

  /** Whether groups were counted whose watermark is not stored yet (see {@link #flushWatermark()}). */
  public boolean lagging() {
    return state != null && stored != null && state.watermark() > stored.watermark();
  }

  /** Stores the watermark of the groups counted so far, when it is behind; only the watermark changes. */
  public CompletionStage<Done> flushWatermark() {
    if (!lagging()) return CompletableFuture.completedFuture(Done.getInstance());
    WalletReadState s = state;
    return store.commit(walletId, Map.of(), s, stored).thenApply(d -> {
      stored = s;
      return d;
    });
  }

  /** After a failed write: what this writer remembers may no longer be what is stored. */
  public void forget() {
    state = null;
    stored = null;
    days = new TreeMap<>();
    recent.clear();
    months.clear();
  }

  private CompletionStage<WalletReadState> current() {
    if (state != null) return CompletableFuture.completedFuture(state);
    return store.state(walletId).thenApply(s -> {
      state = s;
      stored = s;
      return s;
    });
  }

  /** Projects and writes {@code events} (in sequence order); those already counted are skipped. */
  public CompletionStage<Done> write(List<Fed> events) {
    return current().thenCompose(s -> {
      List<Fed> uncounted = new ArrayList<>();
      for (Fed e : events) if (e.seq() > s.watermark()) uncounted.add(e);
      if (uncounted.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
      return reservationsFor(uncounted).thenCompose(known -> project(uncounted, s, known));
    });
  }

  /** Details of the reservations these events settle that were opened before this group. */
  private CompletionStage<Map<String, ReservationInfo>> reservationsFor(List<Fed> events) {
    Map<String, ReservationInfo> known = new HashMap<>();
    Set<String> opened = new HashSet<>();
    Set<String> missing = new HashSet<>();
    for (Fed e : events) {
      String id = settledReservation(e.event());
      if (e.event() instanceof WalletEvent.CreditsReserved r) opened.add(r.reservationId());
      if (id == null || opened.contains(id)) continue;
      ReservationInfo cached = recent.get(id);
      if (cached != null) known.put(id, cached);
      else missing.add(id);
    }
    return store.reservations(walletId, missing).thenApply(found -> {
      known.putAll(found);
      return known;
    });
  }

  private static String settledReservation(WalletEvent e) {
    if (e instanceof WalletEvent.ReservationCommitted c) return c.reservationId();
    if (e instanceof WalletEvent.ReservationReleased r) return r.reservationId();
    if (e instanceof WalletEvent.CreditsRefunded r) return r.reservationId();
    return null;
  }

  private CompletionStage<Done> project(List<Fed> events, WalletReadState initial, Map<String, ReservationInfo> known) {
    WalletReadState s = initial;
    List<LedgerEntry> lines = new ArrayList<>();
    Map<UsageKey, UsageTotals> usage = new LinkedHashMap<>();
    List<Notification> notes = new ArrayList<>();
    List<ExpiryAlert> due = new ArrayList<>();
    Map<String, ReservationInfo> opened = new LinkedHashMap<>();
    Set<String> newMonths = new HashSet<>();
    // Notifications before this index may have been recorded before: they go through the
    // notifier's once-only claim. Those after it are of fresh events only.
    int firstFresh = 0;
    for (Fed e : events) {
      LedgerProjector.Step step = LedgerProjector.project(walletId, e.seq(), e.event(), s,
          id -> opened.getOrDefault(id, known.getOrDefault(id, ReservationInfo.UNKNOWN)));
      s = step.state();
      lines.addAll(step.entries());
      step.usage().forEach((k, v) -> usage.merge(k, v, UsageTotals::plus));
      if (!internal) {
        notes.addAll(step.notifications());
        due.addAll(step.alerts());
      }
      if (!e.fresh()) firstFresh = notes.size();
      if (step.reservationId() != null) opened.put(step.reservationId(), step.reservation());
      for (LedgerEntry l : step.entries()) newMonths.add(LedgerStore.month(l.at()));
    }
    recent.putAll(opened);
    newMonths.removeAll(months);
    WalletReadState end = s;
    int freshFrom = firstFresh;
    // A wallet's first group is always stored: its row tells the ledger's routes the wallet exists.
    boolean onlyWatermark = deferWatermark && stored.watermark() > 0 && usage.isEmpty()
        && end.withWatermark(initial.watermark()).equals(initial);
    Set<LocalDate> touched = new HashSet<>();
    for (UsageKey k : usage.keySet()) touched.add(k.day());
    CompletionStage<Done> linesWritten = store.writeLines(walletId, lines, newMonths, opened)
        .thenCombine(alerts.schedule(due), (a, b) -> Done.getInstance());
    return linesWritten
        .thenApply(d -> {
          months.addAll(newMonths);
          return d;
        })
        .thenCompose(d -> notifier.publish(notes, freshFrom))
        .thenCompose(d -> {
          if (!onlyWatermark) return commit(end, touched, usage);
          state = end; // counted; the stored watermark follows (see the class comment)
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /** The new totals of the touched days and the read state {@code end}, with its watermark, in one write. */
  private CompletionStage<Done> commit(WalletReadState end, Set<LocalDate> touched, Map<UsageKey, UsageTotals> usage) {
    WalletReadState before = stored;
    return totalsOf(touched)
        .thenCompose(totals -> {
          Map<UsageKey, UsageTotals> next = new HashMap<>();
          usage.forEach((k, v) -> next.put(k, totals.getOrDefault(k, UsageTotals.ZERO).plus(v)));
          return store.commit(walletId, next, end, before).thenApply(d -> {
            remember(end, touched, totals, next);
            return d;
          });
        });
  }

  /** The stored totals of these days: from what this writer last wrote where it has them. */
  private CompletionStage<Map<UsageKey, UsageTotals>> totalsOf(Set<LocalDate> touched) {
    Map<UsageKey, UsageTotals> out = new HashMap<>();
    Set<LocalDate> missing = new HashSet<>(touched);
    for (LocalDate day : touched) {
      Map<UsageKey, UsageTotals> known = days.get(day);
      if (known != null) {
        out.putAll(known);
        missing.remove(day);
      }
    }
    if (missing.isEmpty()) return CompletableFuture.completedFuture(out);
    return store.totals(walletId, missing).thenApply(read -> {
      out.putAll(read);
      return out;
    });
  }

  /** After a successful commit: the wallet's state and the full totals of the days it touched. */
  private void remember(
      WalletReadState end, Set<LocalDate> touched, Map<UsageKey, UsageTotals> storedTotals, Map<UsageKey, UsageTotals> next) {
    Map<LocalDate, Map<UsageKey, UsageTotals>> byDay = new HashMap<>();
    for (LocalDate day : touched) byDay.put(day, new HashMap<>());
    storedTotals.forEach((k, v) -> byDay.get(k.day()).put(k, v));
    next.forEach((k, v) -> byDay.get(k.day()).put(k, v));
    days.putAll(byDay);
    while (days.size() > KEPT_DAYS) days.pollFirstEntry();
    state = end;
    stored = end;
  }
}
