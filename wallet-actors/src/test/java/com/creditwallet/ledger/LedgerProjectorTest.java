package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.notify.Notification;
import com.creditwallet.wallet.domain.WalletEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read side's pure rules: ledger lines, usage, notifications and state, event by event. */
class LedgerProjectorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T22:30:00Z");
  private static final String W = "acme";

  /** Projects a journal in order, like the handler does for one wallet. */
  private static final class Run {
    WalletReadState state = WalletReadState.NEW;
    long seq;
    final List<LedgerEntry> lines = new ArrayList<>();
    final List<Notification> notes = new ArrayList<>();
    final Map<UsageKey, UsageTotals> usage = new HashMap<>();
    final Map<String, ReservationInfo> reservations = new HashMap<>();
    LedgerProjector.Step last;

    Run apply(WalletEvent e) {
      last = LedgerProjector.project(W, ++seq, e, state,
          id -> reservations.getOrDefault(id, ReservationInfo.UNKNOWN));
      state = last.state();
      lines.addAll(last.entries());
      notes.addAll(last.notifications());
      last.usage().forEach((k, v) -> usage.merge(k, v, UsageTotals::plus));
      if (last.reservationId() != null) reservations.put(last.reservationId(), last.reservation());
      return this;
    }

    List<String> types() {
      return notes.stream().map(n -> n.type() + ":" + n.data().get("category")).toList();
    }
  }

  @Test
  void balanceLowOnceWhileLowThenRecoveredAndDepleted() {
    Run r = new Run()
        .apply(Events.configured(T0, "UTC", Map.of("sms", 100L)))
        .apply(Events.granted(T0, "g1", "sms", 500, null, 500))
        .apply(Events.reserved(T0, "r1", "sms", 450, "g1", null, null, null, 50));
    assertEquals(List.of("balance.low:sms"), r.types());
    r.apply(Events.reserved(T0, "r2", "sms", 10, "g1", null, null, null, 40))
        .apply(Events.released(T0, "r2", "sms", 10, "g1", false, 50));
    assertEquals(List.of("balance.low:sms"), r.types(), "no second balance.low while the balance stays low");
    r.apply(Events.released(T0, "r1", "sms", 450, "g1", false, 500));
    assertEquals(List.of("balance.low:sms", "balance.recovered:sms"), r.types());
    r.apply(Events.reserved(T0, "r3", "sms", 500, "g1", null, null, null, 0));
    assertEquals(List.of("balance.low:sms", "balance.recovered:sms", "balance.low:sms", "balance.depleted:sms"),
        r.types());
    assertEquals(100L, r.notes.get(0).data().get("threshold"));
    assertEquals(50L, r.notes.get(0).data().get("available"));
  }

  @Test
  void depletedAgainAfterTheBalanceRoseAboveZeroAndTheFlagsFollowTheBalance() {
    Run r = new Run()
        .apply(Events.granted(T0, "g1", "sms", 10, null, 10))
        .apply(Events.reserved(T0, "r1", "sms", 10, "g1", null, null, null, 0));
    assertEquals(List.of("balance.depleted:sms"), r.types());
    assertEquals(java.util.Set.of("sms"), r.state.depleted());
    r.apply(Events.released(T0, "r1", "sms", 10, "g1", false, 10));
    assertEquals(List.of("balance.depleted:sms"), r.types(), "rising above zero notifies nothing");
    assertEquals(java.util.Set.of(), r.state.depleted());
    r.apply(Events.reserved(T0, "r2", "sms", 4, "g1", null, null, null, 6));
    assertEquals(java.util.Set.of(), r.state.depleted(), "an event that crosses nothing keeps the flags");
    r.apply(Events.reserved(T0, "r3", "sms", 6, "g1", null, null, null, 0));
    assertEquals(List.of("balance.depleted:sms", "balance.depleted:sms"), r.types());
    assertEquals(java.util.Set.of("sms"), r.state.depleted());
  }

  @Test
  void aThresholdAtExactlyTheBalanceIsLowAndNoThresholdMeansOnlyDepleted() {
    Run r = new Run()
        .apply(Events.configured(T0, "UTC", Map.of("sms", 100L)))
        .apply(Events.granted(T0, "g1", "sms", 100, null, 100))
        .apply(Events.granted(T0, "g2", "email", 5, null, 5))
        .apply(Events.reserved(T0, "r1", "email", 5, "g2", null, null, null, 0));
    assertEquals(List.of("balance.low:sms", "balance.depleted:email"), r.types());
  }

  @Test
  void commitsCarryTheReservationsSubBudgetReferenceAndOperation() {
    Run r = new Run()
        .apply(Events.configured(T0, "Europe/Rome", Map.of()))
        .apply(Events.granted(T0, "g1", "sms", 500, null, 500))
        .apply(Events.reserved(T0, "r1", "sms", 30, "g1", "list-7", "campaign-42", "send", 470))
        .apply(Events.committed(T0.plusSeconds(60), "r1", "sms", 20, 10, "g1", 480));
    List<LedgerEntry> commit = r.last.entries();
    assertEquals(2, commit.size());
    assertEquals(LedgerEntry.COMMITTED, commit.get(0).type());
    assertEquals(20, commit.get(0).amount());
    assertEquals("list-7", commit.get(0).subBudget());
    assertEquals("campaign-42", commit.get(0).reference());
    assertEquals("send", commit.get(0).operation());
    assertEquals(480L, commit.get(0).available());
    assertEquals(LedgerEntry.RELEASED, commit.get(1).type());
    assertEquals(1, commit.get(1).idx());
    assertEquals(4, r.seq);
    assertEquals(4, r.state.watermark());

    // 22:30 UTC on March 1st is 23:30 in Rome (same day); a minute later is still the 1st.
    LocalDate day = LocalDate.parse("2026-03-01");
    assertEquals(new UsageTotals(0, 20, 0, 10, 0), r.usage.get(new UsageKey(day, "sms", "list-7", "send")));
    assertEquals(new UsageTotals(500, 0, 0, 0, 0), r.usage.get(new UsageKey(day, "sms", "", "")));
  }

  @Test
  void usageDaysAreTheWalletsDays() {
    Run r = new Run()
        .apply(Events.configured(T0, "Europe/Rome", Map.of()))
        .apply(Events.granted(T0.plusSeconds(3600), "g1", "sms", 500, null, 500));
    // 23:30 UTC is 00:30 on March 2nd in Rome.
    assertEquals(new UsageTotals(500, 0, 0, 0, 0),
        r.usage.get(new UsageKey(LocalDate.parse("2026-03-02"), "sms", "", "")));
  }

  @Test
  void aCycleEndShowsExpiredThenResetThenGranted() {
    Run r = new Run()
        .apply(Events.granted(T0, "plan:b:1:sms", "sms", 100, T0.plusSeconds(60), 100))
        .apply(Events.expired(T0.plusSeconds(60), "plan:b:1:sms", "sms", 100, 0))
        .apply(Events.reset(T0.plusSeconds(60), 2))
        .apply(Events.granted(T0.plusSeconds(60), "plan:b:2:sms", "sms", 100, T0.plusSeconds(120), 100));
    assertEquals(List.of("GRANTED", "EXPIRED", "RESET", "GRANTED"), r.lines.stream().map(LedgerEntry::type).toList());
    LedgerEntry reset = r.lines.get(2);
    assertNull(reset.category());
    assertEquals("cycle 2", reset.detail());
    assertTrue(r.notes.stream().anyMatch(n -> n.type().equals(Notification.CYCLE_RESET)));
    assertTrue(r.notes.stream().anyMatch(n -> n.type().equals(Notification.GRANT_EXPIRED)));
    assertEquals(2, r.usage.values().stream().mapToLong(UsageTotals::granted).sum() / 100);
  }

  @Test
  void holdExpiryNotifiesAndGrantExpiriesAreScheduled() {
    Run r = new Run()
        .apply(Events.granted(T0, "g1", "sms", 500, T0.plusSeconds(86_400 * 30), 500));
    assertEquals(List.of(new ExpiryAlert(W, "g1", T0.plusSeconds(86_400 * 30))), r.last.alerts());
    r.apply(Events.reserved(T0, "r1", "sms", 5, "g1", null, null, null, 495))
        .apply(Events.released(T0.plusSeconds(900), "r1", "sms", 5, "g1", true, 500));
    Notification expired = r.notes.get(r.notes.size() - 1);
    assertEquals(Notification.RESERVATION_EXPIRED, expired.type());
    assertEquals("HOLD_EXPIRED", r.last.entries().get(0).detail());
  }

  @Test
  void theSameEventProjectsToTheSameLinesAndNotificationIds() {
    WalletReadState s = WalletReadState.NEW.withSettings("UTC", Map.of("sms", 100L));
    WalletEvent e = Events.reserved(T0, "r1", "sms", 450, "g1", null, null, null, 50);
    LedgerProjector.Step a = LedgerProjector.project(W, 7, e, s, id -> ReservationInfo.UNKNOWN);
    LedgerProjector.Step b = LedgerProjector.project(W, 7, e, s, id -> ReservationInfo.UNKNOWN);
    assertEquals(a.entries(), b.entries());
    assertEquals(a.notifications(), b.notifications());
    assertEquals(1, a.notifications().size());
    LedgerProjector.Step other = LedgerProjector.project(W, 8, e, s, id -> ReservationInfo.UNKNOWN);
    assertTrue(!other.notifications().get(0).eventId().equals(a.notifications().get(0).eventId()));
  }

  /** A client grant named like a service one is kept under an escaped key; the ledger shows the client's id. */
  @Test
  void ledgerLinesShowTheIdTheClientGave() {
    String key = com.creditwallet.wallet.domain.GrantIds.clientKey("plan:gold:2:sms");
    Run r = new Run()
        .apply(Events.configured(T0, "UTC", Map.of()))
        .apply(Events.granted(T0, key, "sms", 50, null, 50))
        .apply(Events.reserved(T0, "r1", "sms", 5, key, null, null, null, 45));
    assertEquals(List.of("plan:gold:2:sms", "plan:gold:2:sms"), r.lines.stream().map(LedgerEntry::grantId).toList());
  }
}
