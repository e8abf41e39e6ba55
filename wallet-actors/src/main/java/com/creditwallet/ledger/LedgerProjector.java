package com.creditwallet.ledger;

import com.creditwallet.notify.BalanceWatch;
import com.creditwallet.notify.Notification;
import com.creditwallet.wallet.domain.Draw;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.WalletEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The read side's rules, pure: one wallet event (with its sequence number) and the wallet's read
 * state in; ledger lines, usage, notifications, grant-expiry alerts and the next state out. No
 * I/O, so the same event always projects to the same output (what makes replays harmless), and
 * the rules are tested without Cassandra.
 *
 * <p>Ledger lines are one per draw (the credits of one grant), in the order the event lists them.
 * A cycle end shows as the EXPIRED lines of the unused plan credits (their own events), one RESET
 * line (category null, amount 0, the new cycle in {@code detail}), then the GRANTED lines of the
 * rollover and the fresh allowance.
 */
public final class LedgerProjector {
  private LedgerProjector() {}

  /** The output of one event. {@code reservation} is non-null when the event opened one. */
  public record Step(
      List<LedgerEntry> entries,
      Map<UsageKey, UsageTotals> usage,
      List<Notification> notifications,
      List<ExpiryAlert> alerts,
      String reservationId,
      ReservationInfo reservation,
      WalletReadState state) {}

  public static Step project(
      String walletId, long seq, WalletEvent event, WalletReadState state,
      Function<String, ReservationInfo> reservations) {
    Lines lines = new Lines(walletId, seq, event);
    List<Notification> notes = new ArrayList<>();
    List<ExpiryAlert> alerts = new ArrayList<>();
    WalletReadState s = state;
    String openedId = null;
    ReservationInfo opened = null;
    Instant at = event.at();
    if (event instanceof WalletEvent.WalletConfigured e) {
      Map<String, Long> thresholds = e.lowBalanceThresholds() == null ? Map.of() : e.lowBalanceThresholds();
      Set<String> low = new HashSet<>(s.low());
      low.retainAll(thresholds.keySet());
      s = s.withSettings(e.timeZone(), thresholds).withFlags(low, s.depleted());
    } else if (event instanceof WalletEvent.PlanSubscribed e) {
      s = s.withUnlimited(e.unlimited() == null ? Set.of() : Set.copyOf(e.unlimited()));
    } else if (event instanceof WalletEvent.GrantIssued e) {
      String type = e.source() == GrantSource.ADJUSTMENT ? LedgerEntry.ADJUSTED : LedgerEntry.GRANTED;
      lines.add(type, e.category(), e.amount(), e.grantId(), null, ReservationInfo.UNKNOWN, e.source().name());
      if (e.expiresAt() != null) {
        alerts.add(new ExpiryAlert(walletId, e.grantId(), e.expiresAt()));
        if (e.extendedGrantIds() != null) {
          for (String id : e.extendedGrantIds()) alerts.add(new ExpiryAlert(walletId, id, e.expiresAt()));
        }
      }
    } else if (event instanceof WalletEvent.GrantExpired e) {
      lines.add(LedgerEntry.EXPIRED, e.category(), e.amount(), e.grantId(), null, ReservationInfo.UNKNOWN, "GRANT_EXPIRED");
      if (e.amount() > 0) {
        notes.add(Notification.of(walletId, seq, Notification.GRANT_EXPIRED, e.grantId(), at,
            data("grantId", e.grantId(), "category", e.category(), "amount", e.amount())));
      }
    } else if (event instanceof WalletEvent.CreditsReserved e) {
      openedId = e.reservationId();
      opened = new ReservationInfo(e.subBudget(), e.reference(), e.operation());
      lines.draws(LedgerEntry.RESERVED, e.draws(), e.reservationId(), opened, e.kind().name());
    } else if (event instanceof WalletEvent.ReservationCommitted e) {
      ReservationInfo r = reservations.apply(e.reservationId());
      lines.draws(LedgerEntry.COMMITTED, e.committed(), e.reservationId(), r, null);
      lines.draws(LedgerEntry.RELEASED, e.released(), e.reservationId(), r, "PARTIAL_COMMIT");
      lines.draws(LedgerEntry.EXPIRED, e.expiredOnRelease(), e.reservationId(), r, "GRANT_EXPIRED");
    } else if (event instanceof WalletEvent.ReservationReleased e) {
      ReservationInfo r = reservations.apply(e.reservationId());
      String why = e.ttlExpired() ? "HOLD_EXPIRED" : null;
      lines.draws(LedgerEntry.RELEASED, e.released(), e.reservationId(), r, why);
      lines.draws(LedgerEntry.EXPIRED, e.expiredOnRelease(), e.reservationId(), r, "GRANT_EXPIRED");
      if (e.ttlExpired()) {
        notes.add(Notification.of(walletId, seq, Notification.RESERVATION_EXPIRED, e.reservationId(), at,
            data("reservationId", e.reservationId(), "released", sumByCategory(e.released()))));
      }
    } else if (event instanceof WalletEvent.CreditsRefunded e) {
      ReservationInfo r = reservations.apply(e.reservationId());
      lines.draws(LedgerEntry.REFUNDED, e.refunded(), e.reservationId(), r, e.reason());
      lines.draws(LedgerEntry.EXPIRED, e.expiredOnRefund(), e.reservationId(), r, "GRANT_EXPIRED");
    } else if (event instanceof WalletEvent.CycleReset e) {
      lines.add(LedgerEntry.RESET, null, 0, null, null, ReservationInfo.UNKNOWN, "cycle " + e.cycleNumber());
      notes.add(Notification.of(walletId, seq, Notification.CYCLE_RESET, null, at,
          data("cycleNumber", e.cycleNumber(), "cycleStart", e.cycleStart(), "cycleEnd", e.cycleEnd())));
    } else if (event instanceof WalletEvent.TrialEnded) {
      notes.add(Notification.of(walletId, seq, Notification.TRIAL_EXPIRED, null, at, Map.of()));
    }
    // Other events (archiving, restoring, forgetting, sub-budget settings) move no credits.
    BalanceWatch.Result watched = BalanceWatch.after(walletId, seq, at, event.balances(), s);
    notes.addAll(watched.notifications());
    s = watched.state().withWatermark(seq);
    Map<UsageKey, UsageTotals> usage = new LinkedHashMap<>();
    java.time.LocalDate day = at.atZone(s.zone()).toLocalDate();
    for (LedgerEntry l : lines.out) {
      UsageTotals t = UsageTotals.of(l);
      if (t.equals(UsageTotals.ZERO)) continue;
      usage.merge(new UsageKey(day, l.category(), l.subBudget(), l.operation()), t, UsageTotals::plus);
    }
    return new Step(List.copyOf(lines.out), usage, notes, alerts, openedId, opened, s);
  }

  private static Map<String, Object> data(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  private static List<Line> sumByCategory(List<Draw> draws) {
    Map<String, Long> sums = new LinkedHashMap<>();
    if (draws != null) for (Draw d : draws) sums.merge(d.category(), d.amount(), Long::sum);
    List<Line> out = new ArrayList<>();
    sums.forEach((c, a) -> out.add(new Line(c, a)));
    return out;
  }

  /** Builds the lines of one event, numbering them. */
  private static final class Lines {
    final String walletId;
    final long seq;
    final WalletEvent event;
    final List<LedgerEntry> out = new ArrayList<>();

    Lines(String walletId, long seq, WalletEvent event) {
      this.walletId = walletId;
      this.seq = seq;
      this.event = event;
    }

    void draws(String type, List<Draw> draws, String reservationId, ReservationInfo r, String detail) {
      if (draws == null) return;
      for (Draw d : draws) {
        if (d.amount() == 0) continue;
        add(type, d.category(), d.amount(), d.fromPseudoGrant() ? null : d.grantId(), reservationId, r, detail);
      }
    }

    void add(String type, String category, long amount, String grantId, String reservationId, ReservationInfo r,
        String detail) {
      Long available = category == null ? null : event.balances().get(category);
      out.add(new LedgerEntry(walletId, seq, out.size(), event.at(), type, category, amount, grantId, reservationId,
          r.subBudget(), r.reference(), r.operation(), available, detail));
    }
  }
}
