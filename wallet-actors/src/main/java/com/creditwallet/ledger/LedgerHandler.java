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
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Projects a group of tagged events, wallet by wallet (wallets in parallel, each wallet's events
 * in order). For each wallet: read its read state, drop events at or below its watermark (already
 * counted: this is what makes replays harmless), project the rest with {@link LedgerProjector},
 * write ledger lines, reservations and expiry alerts, record notifications (deduplicated by their
 * derived ids), and last write the new usage totals together with the new watermark. A crash
 * anywhere before that last write replays the same events into the same rows and ids.
 *
 * <p>Assumes one writer per wallet: a wallet's events carry one tag, and each tag is projected by
 * one instance of a sharded daemon process.
 */
public final class LedgerHandler extends Handler<List<EventEnvelope<WalletEvent>>> {
  private final LedgerStore store;
  private final Notifier notifier;
  private final ExpiryAlerts alerts;
  private final ProjectionLag lag;
  private final String tag;
  private final java.time.Clock clock;
  /** Recently opened reservations, so most commits need no read (bounded; a miss reads the table). */
  private final Map<String, ReservationInfo> recent = lru(20_000);
  /**
   * What this instance last wrote for each wallet (read state and the totals of the days it
   * touched), so a busy wallet's next group needs no reads: at thousands of events a second the
   * reads cost Cassandra more than the writes. Safe because this instance is the only writer of
   * its tag's wallets, it records an entry only after the write succeeded, and the projection
   * builds a new handler (with empty caches) whenever it restarts after a failure.
   */
  private final Map<String, Written> written = lru(10_000);
  /** Days of totals kept per wallet: today, and yesterday for events around midnight. */
  private static final int KEPT_DAYS = 2;
  /** Ledger months already recorded per wallet (key wallet + month), so each is written once. */
  private final Map<String, Boolean> months = lru(20_000);

  /** A wallet's read state and its totals per day, as last committed by this instance. */
  private record Written(WalletReadState state, Map<LocalDate, Map<UsageKey, UsageTotals>> days) {}

  private static <V> Map<String, V> lru(int max) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  public LedgerHandler(
      LedgerStore store, Notifier notifier, ExpiryAlerts alerts, ProjectionLag lag, String tag, java.time.Clock clock) {
    this.store = store;
    this.notifier = notifier;
    this.alerts = alerts;
    this.lag = lag;
    this.tag = tag;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<WalletEvent>> envelopes) {
    Map<String, List<EventEnvelope<WalletEvent>>> byWallet = new LinkedHashMap<>();
    for (EventEnvelope<WalletEvent> e : envelopes) {
      byWallet.computeIfAbsent(PersistenceId.extractEntityId(e.persistenceId()), k -> new ArrayList<>()).add(e);
    }
    List<CompletionStage<Done>> all = new ArrayList<>();
    byWallet.forEach((walletId, events) -> all.add(projectWallet(walletId, events)));
    long newest = envelopes.isEmpty() ? 0 : envelopes.get(envelopes.size() - 1).timestamp();
    return LedgerStore.allDone(all).thenApply(done -> {
      if (newest > 0) lag.processed(tag, clock.millis() - newest);
      return done;
    });
  }

  private CompletionStage<Done> projectWallet(String walletId, List<EventEnvelope<WalletEvent>> events) {
    Written last;
    synchronized (written) {
      last = written.get(walletId);
    }
    CompletionStage<WalletReadState> current =
        last != null ? CompletableFuture.completedFuture(last.state()) : store.state(walletId);
    return current.thenCompose(state -> {
      List<EventEnvelope<WalletEvent>> fresh = new ArrayList<>();
      for (EventEnvelope<WalletEvent> e : events) if (e.sequenceNr() > state.watermark()) fresh.add(e);
      if (fresh.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
      return reservationsFor(walletId, fresh).thenCompose(known -> project(walletId, fresh, state, known));
    });
  }

  /** Details of the reservations these events settle that were opened before this group. */
  private CompletionStage<Map<String, ReservationInfo>> reservationsFor(
      String walletId, List<EventEnvelope<WalletEvent>> events) {
    Map<String, ReservationInfo> known = new HashMap<>();
    Set<String> opened = new HashSet<>();
    Set<String> missing = new HashSet<>();
    synchronized (recent) {
      for (EventEnvelope<WalletEvent> e : events) {
        String id = settledReservation(e.event());
        if (e.event() instanceof WalletEvent.CreditsReserved r) opened.add(r.reservationId());
        if (id == null || opened.contains(id)) continue;
        ReservationInfo cached = recent.get(walletId + '\u0000' + id);
        if (cached != null) known.put(id, cached);
        else missing.add(id);
      }
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

  private CompletionStage<Done> project(
      String walletId, List<EventEnvelope<WalletEvent>> events, WalletReadState initial,
      Map<String, ReservationInfo> known) {
    WalletReadState s = initial;
    List<LedgerEntry> lines = new ArrayList<>();
    Map<UsageKey, UsageTotals> usage = new LinkedHashMap<>();
    List<Notification> notes = new ArrayList<>();
    List<ExpiryAlert> due = new ArrayList<>();
    Map<String, ReservationInfo> opened = new LinkedHashMap<>();
    Set<String> newMonths = new HashSet<>();
    for (EventEnvelope<WalletEvent> e : events) {
      LedgerProjector.Step step = LedgerProjector.project(walletId, e.sequenceNr(), e.event(), s,
          id -> opened.getOrDefault(id, known.getOrDefault(id, ReservationInfo.UNKNOWN)));
      s = step.state();
      lines.addAll(step.entries());
      step.usage().forEach((k, v) -> usage.merge(k, v, UsageTotals::plus));
      notes.addAll(step.notifications());
      due.addAll(step.alerts());
      if (step.reservationId() != null) opened.put(step.reservationId(), step.reservation());
      for (LedgerEntry l : step.entries()) newMonths.add(LedgerStore.month(l.at()));
    }
    synchronized (recent) {
      opened.forEach((id, info) -> recent.put(walletId + '\u0000' + id, info));
    }
    synchronized (months) {
      newMonths.removeIf(m -> months.containsKey(walletId + '\u0000' + m));
    }
    WalletReadState end = s;
    Set<LocalDate> days = new HashSet<>();
    for (UsageKey k : usage.keySet()) days.add(k.day());
    CompletionStage<Done> linesWritten = store.writeLines(walletId, lines, newMonths, opened)
        .thenCombine(alerts.schedule(due), (a, b) -> Done.getInstance());
    return linesWritten
        .thenApply(d -> {
          synchronized (months) {
            for (String m : newMonths) months.put(walletId + '\u0000' + m, Boolean.TRUE);
          }
          return d;
        })
        .thenCompose(d -> notifier.publish(notes))
        .thenCompose(d -> totalsOf(walletId, days))
        .thenCompose(stored -> {
          Map<UsageKey, UsageTotals> next = new HashMap<>();
          usage.forEach((k, v) -> next.put(k, stored.getOrDefault(k, UsageTotals.ZERO).plus(v)));
          return store.commit(walletId, next, end).thenApply(d -> {
            remember(walletId, end, days, stored, next);
            return d;
          });
        });
  }

  /** The stored totals of these days: from what this instance last wrote where it has them. */
  private CompletionStage<Map<UsageKey, UsageTotals>> totalsOf(String walletId, Set<LocalDate> days) {
    Map<UsageKey, UsageTotals> out = new HashMap<>();
    Set<LocalDate> missing = new HashSet<>(days);
    synchronized (written) {
      Written last = written.get(walletId);
      if (last != null) {
        for (LocalDate day : days) {
          Map<UsageKey, UsageTotals> known = last.days().get(day);
          if (known != null) {
            out.putAll(known);
            missing.remove(day);
          }
        }
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
      String walletId, WalletReadState state, Set<LocalDate> days, Map<UsageKey, UsageTotals> stored,
      Map<UsageKey, UsageTotals> next) {
    Map<LocalDate, Map<UsageKey, UsageTotals>> touched = new HashMap<>();
    for (LocalDate day : days) touched.put(day, new HashMap<>());
    stored.forEach((k, v) -> touched.get(k.day()).put(k, v));
    next.forEach((k, v) -> touched.get(k.day()).put(k, v));
    synchronized (written) {
      Written last = written.get(walletId);
      TreeMap<LocalDate, Map<UsageKey, UsageTotals>> byDay =
          new TreeMap<>(last == null ? Map.of() : last.days());
      byDay.putAll(touched);
      while (byDay.size() > KEPT_DAYS) byDay.pollFirstEntry();
      written.put(walletId, new Written(state, byDay));
    }
  }
}
