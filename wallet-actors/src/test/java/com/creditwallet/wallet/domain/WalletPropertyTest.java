package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.creditwallet.wallet.ManualClock;
import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsArchived;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random operations on one wallet, driven by a fixed seed, with the invariants checked after
 * every step: the audit equation, no negative balance without overdraft, the overdraft limit,
 * held = the sum of HELD reservations, refunds within what was committed, every event stamped
 * with the balances right after it, and that replaying the journal from scratch rebuilds the
 * same wallet. The run plays the entity's part too: due deadlines in bounded writes, finished
 * reservations written to an archive and then archived (sometimes only after the next command,
 * as when the write is in flight), and commands naming archived reservations decided with what
 * the archive holds.
 */
class WalletPropertyTest {
  private static final int STEPS = 3000;
  private static final List<String> CATEGORIES = List.of("sms", "email", "push", "campaign");
  /** push and campaign may go into overdraft; sms and email never below zero. */
  private static final Map<String, Long> OVERDRAFT = Map.of("push", 200L, "campaign", 50L);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 20260301L, 7_777_777L, -5L})
  void invariantsHoldUnderRandomOperations(long seed) {
    new Run(seed, ConsumptionOrder.EXPIRING_FIRST).go();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3L, 1001L})
  void invariantsHoldWithNonExpiringFirst(long seed) {
    new Run(seed, ConsumptionOrder.NON_EXPIRING_FIRST).go();
  }

  private static final class Run {
    final long seed;
    final Random rnd;
    final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T00:00:00Z"));
    /** Short windows and small limits, so a run archives, forgets, catches up in several writes and hits the cap. */
    final WalletPolicy policy = new WalletPolicy(100, 100_000, Duration.ofHours(6))
        .withRecent(Duration.ofMinutes(10), 6)
        .withLimits(8, 5);
    final List<WalletEvent> journal = new ArrayList<>();
    /** The reservation archive, as the entity's: the last copy written per id (as read back from its schema). */
    final Map<String, Reservation> archive = new HashMap<>();
    /** An archive write in flight: the revisions listed, to be confirmed by ReservationsArchived. */
    Map<String, Integer> archiving;
    /** Catch-ups that took more than one write. */
    int splitCatchUps;
    WalletState state = WalletState.EMPTY;
    final List<String> grantIds = new ArrayList<>();
    final Map<String, GrantRequest> grantRequests = new HashMap<>();
    final List<String> reservationIds = new ArrayList<>();
    final Map<String, ReserveRequest> reserveRequests = new HashMap<>();
    final Map<String, ReservationKind> kinds = new HashMap<>();
    final Map<String, RefundRequest> refundRequests = new HashMap<>();
    final Map<String, Integer> rejections = new TreeMap<>();
    int step;
    String op = "";
    int ids;

    Run(long seed, ConsumptionOrder order) {
      this.seed = seed;
      this.rnd = new Random(seed);
      WalletSettings.SettingsUpdate settings = new WalletSettings.SettingsUpdate("Europe/Rome", order, null, OVERDRAFT);
      apply(d -> WalletRules.configure(d, settings, clock.instant()));
    }

    void go() {
      for (step = 1; step <= STEPS; step++) {
        int dice = rnd.nextInt(100);
        if (dice < 14) grant();
        else if (dice < 40) reserve(ReservationKind.HOLD);
        else if (dice < 46) reserve(ReservationKind.DEBIT);
        else if (dice < 62) commit();
        else if (dice < 70) release();
        else if (dice < 82) refund();
        else if (dice < 92) advance();
        else retry();
        check();
      }
      assertTrue(journal.size() > STEPS / 2, () -> ctx("too few events: " + journal.size()));
      assertTrue(rejections.size() >= 4, () -> ctx("the run should exercise refusals too: " + rejections));
      // ... and the archive, forgetting and bounded catch-up.
      assertTrue(state.archivedTotal() > 0, () -> ctx("nothing was archived"));
      assertTrue(journal.stream().anyMatch(e -> e instanceof WalletEvent.ReservationRestored), () -> ctx("no refund from the archive"));
      assertTrue(journal.stream().anyMatch(e -> e instanceof WalletEvent.GrantsForgotten), () -> ctx("no grant forgotten"));
      assertTrue(splitCatchUps > 0, () -> ctx("no catch-up needed several writes"));
    }

    String ctx(String msg) {
      return "seed " + seed + ", step " + step + " (" + op + "): " + msg;
    }

    String pick(List<String> from) {
      return from.get(rnd.nextInt(from.size()));
    }

    /** The reservation in memory, else the archive's copy, else null. */
    Reservation find(String id) {
      return state.reservation(id).orElseGet(() -> archive.get(id));
    }

    /** Mostly a live reservation in the preferred status, sometimes any id ever used. */
    String pickReservation(ReservationStatus preferred) {
      List<String> live = new ArrayList<>();
      for (Reservation r : state.reservations().values()) if (r.status() == preferred) live.add(r.reservationId());
      live.sort(String::compareTo);
      if (!live.isEmpty() && rnd.nextInt(8) != 0) return pick(live);
      return reservationIds.isEmpty() ? null : pick(reservationIds);
    }

    String category() {
      return pick(CATEGORIES);
    }

    /** A decision as the entity makes it: with what the archive holds for the ids named. */
    Decision decision() {
      return new Decision(state, policy).withArchived(archive);
    }

    /** What is due, as the entity applies it: in writes of at most maxEventsPerWrite (about). */
    Decision catchUp() {
      Decision d = decision();
      while (!DeadlineRules.applyDue(d, clock.instant())) {
        int stoppedAt = d.size();
        splitCatchUps++;
        assertTrue(stoppedAt >= policy.maxEventsPerWrite(), () -> ctx("stopped early at " + stoppedAt));
        absorb(d);
        d = decision();
      }
      // Each due deadline here is one event (no plans, no sub-budgets), plus GrantsForgotten at the end.
      int size = d.size();
      assertTrue(size <= policy.maxEventsPerWrite() + 1, () -> ctx("a catch-up write of " + size + " events"));
      return d;
    }

    /** Due deadlines first, as the entity does, then the rule; a rejection changes nothing else. */
    void apply(Function<Decision, List<WalletEvent>> rule) {
      Decision d = catchUp();
      int mark = d.size();
      try {
        List<WalletEvent> own = rule.apply(d);
        assertEquals(d.eventsSince(mark), own, () -> ctx("a rule returns exactly the events it emitted"));
      } catch (Rejection r) {
        assertEquals(mark, d.size(), () -> ctx("a rule refuses before it emits anything: " + r.getMessage()));
        rejections.merge(r.code(), 1, Integer::sum);
        if (Rejection.INTERNAL.equals(r.code())) fail(ctx("a rule answered a fault: " + r.getMessage()));
      }
      absorb(d);
      archiveDue();
    }

    void absorb(Decision d) {
      List<WalletEvent> events = d.events();
      List<WalletState> states = d.states();
      for (int i = 0; i < events.size(); i++) {
        WalletEvent e = events.get(i);
        WalletState after = states.get(i);
        // Every event is stamped with the available balances of the categories it touched, right after it.
        assertEquals(e.categories(), e.balances().keySet(), () -> ctx("balances stamp the touched categories: " + e));
        e.balances().forEach((c, b) -> assertEquals(after.available(c), b, () -> ctx("stamped balance of " + c + " in " + e)));
      }
      journal.addAll(events);
      state = d.state();
    }

    /**
     * The entity's archiving: confirms the write in flight (usually now, sometimes one command
     * later, so a reservation may change in between), then writes what is due next.
     */
    void archiveDue() {
      if (archiving != null && rnd.nextInt(4) != 0) {
        Decision d = new Decision(state, policy);
        d.emit(new ReservationsArchived(clock.instant(), archiving, Map.of()));
        absorb(d);
        archiving = null;
      }
      if (archiving != null) return;
      List<Reservation> due = state.archivable(clock.instant(), policy, 500);
      if (due.isEmpty()) return;
      Map<String, Integer> revisions = new TreeMap<>();
      for (Reservation r : due) {
        assertTrue(!r.held(), () -> ctx("an open hold listed for the archive: " + r));
        archive.put(r.reservationId(), ReservationRecord.of(r).toReservation());
        revisions.put(r.reservationId(), r.revision());
      }
      archiving = revisions;
    }

    void grant() {
      String id = "g-" + (++ids);
      String category = category();
      GrantSource source = GrantSource.values()[rnd.nextInt(GrantSource.values().length)];
      long amount = source == GrantSource.TOPUP ? 50 + rnd.nextInt(400) : 1 + rnd.nextInt(150);
      Instant expiresAt = null;
      String validFor = null;
      switch (rnd.nextInt(4)) {
        case 0 -> expiresAt = clock.instant().plusSeconds(1 + rnd.nextInt(4 * 3600));
        case 1 -> validFor = "PT" + (1 + rnd.nextInt(180)) + "M";
        default -> { }
      }
      boolean extend = source == GrantSource.PACKAGE && rnd.nextInt(3) == 0;
      GrantRequest r = new GrantRequest(id, category, amount, source, expiresAt, null, validFor, rnd.nextInt(3), extend);
      op = "grant " + r;
      apply(d -> GrantRules.issueGrant(d, r, clock.instant()));
      if (state.grant(id).isPresent()) {
        grantIds.add(id);
        grantRequests.put(id, r);
      }
    }

    void reserve(ReservationKind kind) {
      String id = (kind == ReservationKind.DEBIT ? "d-" : "r-") + (++ids);
      List<Line> lines = new ArrayList<>();
      int n = 1 + rnd.nextInt(rnd.nextInt(3) == 0 ? 3 : 1);
      List<String> cats = new ArrayList<>(CATEGORIES);
      for (int i = 0; i < n; i++) {
        String c = rnd.nextInt(40) == 0 ? "unknown" : cats.remove(rnd.nextInt(cats.size()));
        lines.add(new Line(c, 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 400)));
      }
      boolean partial = lines.size() == 1 && rnd.nextInt(3) == 0;
      ReserveRequest r = new ReserveRequest(id, lines, null, 30 + rnd.nextInt(3600), partial, rnd.nextBoolean() ? "ref-" + id : null);
      op = kind + " " + r;
      apply(d -> ReservationRules.reserve(d, r, kind, clock.instant()));
      if (state.reservation(id).isPresent()) {
        reservationIds.add(id);
        reserveRequests.put(id, r);
        kinds.put(id, kind);
      }
    }

    void commit() {
      String id = pickReservation(ReservationStatus.HELD);
      if (id == null) return;
      List<Line> lines = null;
      Reservation r = find(id);
      if (r != null && rnd.nextBoolean()) {
        lines = new ArrayList<>();
        for (Map.Entry<String, Long> e : Draws.perCategory(r.draws()).entrySet()) {
          if (rnd.nextInt(4) == 0) continue; // omitted: all of it goes back
          long amount = rnd.nextInt(12) == 0 ? e.getValue() + 1 : 1 + (long) (rnd.nextDouble() * e.getValue());
          lines.add(new Line(e.getKey(), amount));
        }
        if (lines.isEmpty()) lines = null;
      }
      List<Line> l = lines;
      op = "commit " + id + " " + l;
      apply(d -> ReservationRules.commit(d, id, l, clock.instant()));
    }

    void release() {
      String id = pickReservation(ReservationStatus.HELD);
      if (id == null) return;
      op = "release " + id;
      apply(d -> ReservationRules.release(d, id, clock.instant()));
    }

    void refund() {
      String id = pickReservation(ReservationStatus.COMMITTED);
      if (id == null) return;
      Reservation r = find(id);
      List<Line> lines = new ArrayList<>();
      Map<String, Long> base = r == null ? Map.of("sms", 1L) : new TreeMap<>(Draws.perCategory(r.draws()));
      for (Map.Entry<String, Long> e : base.entrySet()) {
        if (!lines.isEmpty() && rnd.nextInt(3) == 0) continue;
        lines.add(new Line(e.getKey(), 1 + rnd.nextInt((int) Math.max(1, Math.min(e.getValue(), 50)))));
      }
      String refundId = "f-" + (++ids);
      RefundRequest req = new RefundRequest(refundId, lines, rnd.nextBoolean() ? "BOUNCE" : null);
      op = "refund " + id + " " + req;
      apply(d -> ReservationRules.refund(d, id, req, clock.instant()));
      refundRequests.put(id + "/" + refundId, req);
    }

    void advance() {
      long seconds = rnd.nextInt(5) == 0 ? 1800 + rnd.nextInt(4 * 3600) : 1 + rnd.nextInt(300);
      clock.advanceSeconds(seconds);
      op = "advance " + seconds + "s";
      absorb(catchUp());
      archiveDue();
    }

    /** A repeat of an earlier request: the same body changes nothing, another body conflicts. */
    void retry() {
      int what = rnd.nextInt(3);
      absorb(catchUp());
      if (what == 0 && !grantIds.isEmpty()) {
        GrantRequest r = grantRequests.get(pick(grantIds));
        op = "grant retry " + r;
        // A spent grant is forgotten after forgetGrantsAfter; a live one is remembered.
        if (state.grant(r.grantId()).isEmpty()) return;
        expectNoEvents(d -> GrantRules.issueGrant(d, r, clock.instant()), "grant retry");
        GrantRequest other = new GrantRequest(r.grantId(), r.category(), r.amount() + 1, r.source(),
            r.expiresAt(), r.expiresOn(), r.validFor(), r.priority(), r.extendExisting());
        expectConflict(d -> GrantRules.issueGrant(d, other, clock.instant()));
      } else if (what == 1 && !reservationIds.isEmpty()) {
        String id = pick(reservationIds);
        ReserveRequest r = reserveRequests.get(id);
        op = "reserve retry " + r;
        // In memory or in the archive: a reservation id is never forgotten while the archive keeps it.
        assertTrue(find(id) != null, () -> ctx("reservation " + id + " is neither in memory nor in the archive"));
        expectNoEvents(d -> ReservationRules.reserve(d, r, kinds.get(id), clock.instant()), "reserve retry");
        ReserveRequest other = new ReserveRequest(id, r.lines(), null, r.ttlSeconds() + 1, r.allowPartial(), r.reference());
        expectConflict(d -> ReservationRules.reserve(d, other, kinds.get(id), clock.instant()));
      } else if (!refundRequests.isEmpty()) {
        List<String> keys = new ArrayList<>(refundRequests.keySet());
        keys.sort(String::compareTo);
        String key = pick(keys);
        String id = key.substring(0, key.indexOf('/'));
        RefundRequest req = refundRequests.get(key);
        op = "refund retry " + id + " " + req;
        Reservation r = find(id);
        if (r == null || !r.refunds().containsKey(req.refundId())) return; // it was refused
        // Also when the reservation is only in the archive: a repeat restores nothing.
        expectNoEvents(d -> ReservationRules.refund(d, id, req, clock.instant()), "refund retry");
        RefundRequest other = new RefundRequest(req.refundId(), req.lines(), "OTHER REASON");
        expectConflict(d -> ReservationRules.refund(d, id, other, clock.instant()));
      }
    }

    void expectNoEvents(Function<Decision, List<WalletEvent>> rule, String what) {
      Decision d = decision();
      assertEquals(List.of(), rule.apply(d), () -> ctx(what));
      assertEquals(0, d.size(), () -> ctx(what + " emitted " + d.events()));
    }

    void expectConflict(Function<Decision, List<WalletEvent>> rule) {
      Decision d = decision();
      try {
        List<WalletEvent> events = rule.apply(d);
        fail(ctx("expected IDEMPOTENCY_CONFLICT, got " + events));
      } catch (Rejection r) {
        assertEquals(Rejection.IDEMPOTENCY_CONFLICT, r.code(), () -> ctx(r.getMessage()));
        assertEquals(0, d.size(), () -> ctx("a conflict emitted " + d.events()));
        rejections.merge(r.code(), 1, Integer::sum);
      }
    }

    void check() {
      WalletFixture.assertConsistent(state, "seed " + seed + ", step " + step + " (" + op + ")");
      Map<String, Long> held = new HashMap<>();
      for (Reservation r : state.reservations().values()) {
        if (r.status() == ReservationStatus.HELD) {
          Draws.perCategory(r.draws()).forEach((c, a) -> held.merge(c, a, Long::sum));
          assertTrue(r.expiresAt() == null || r.expiresAt().isAfter(clock.instant()), () -> ctx("a due hold is still HELD: " + r));
        }
        Map<String, Long> committed = Draws.perCategory(r.committed());
        r.refundable().forEach((c, a) -> assertTrue(a >= 0 && a <= committed.getOrDefault(c, 0L), () -> ctx("refunded past committed: " + r)));
      }
      long open = state.reservations().values().stream().filter(Reservation::held).count();
      assertEquals(open, state.openHolds(), () -> ctx("openHolds = the HELD reservations"));
      assertTrue(state.openHolds() <= policy.maxOpenHolds(), () -> ctx("open holds above the cap"));
      for (String c : state.totals().keySet()) {
        CategoryTotals t = state.totals(c);
        assertEquals(held.getOrDefault(c, 0L), t.held(), () -> ctx("held of " + c + " = sum of HELD reservations"));
        long limit = OVERDRAFT.getOrDefault(c, 0L);
        long available = state.available(c);
        assertTrue(available >= -limit, () -> ctx(c + " below its overdraft limit: " + available));
        if (limit == 0) assertTrue(available >= 0, () -> ctx(c + " negative without overdraft: " + available));
        assertTrue(t.overdraftHeld() + t.overdraftDebt() <= limit, () -> ctx(c + " overdraft use above the limit: " + t));
        assertTrue(t.overdraftHeld() >= 0 && t.overdraftDebt() >= 0, () -> ctx(c + " negative overdraft use: " + t));
      }
      for (Grant g : state.grants().values()) {
        assertTrue(g.remaining() >= 0 && g.remaining() <= g.amount(), () -> ctx("grant remaining out of range: " + g));
        if (g.expired()) assertEquals(0, g.remaining(), () -> ctx("an expired grant keeps credits: " + g));
        else if (g.expiresAt() != null) assertTrue(g.expiresAt().isAfter(clock.instant()), () -> ctx("a due grant is still live: " + g));
      }
      checkDeadlines();
      if (step % 250 == 0 || step == STEPS) checkReplay();
    }

    /**
     * The deadlines the wallet will act on, in order, are the same whether taken from the state as
     * it was kept step by step (its index updated in place, its first deadline carried across
     * reservations, commits and releases) or from a state rebuilt from its fields, which derives
     * both from scratch.
     */
    void checkDeadlines() {
      WalletState rebuilt = new WalletState(
          state.exists(), state.settingsVersion(), state.settings(), state.status(), state.grants(),
          state.reservations(), state.totals(), state.grantSeq(), state.subscription(), state.trialUsed(),
          state.subBudgets(), state.archivedTotal());
      assertEquals(liveDeadlines(rebuilt), liveDeadlines(state), () -> ctx("deadlines kept step by step"));
    }

    static List<Deadline> liveDeadlines(WalletState s) {
      List<Deadline> out = new ArrayList<>();
      for (Optional<Deadline> d = s.deadlineAfter(null); d.isPresent(); d = s.deadlineAfter(d.get())) out.add(d.get());
      return out;
    }

    /** The journal alone rebuilds the same wallet; and no reservation is lost on the way to the archive. */
    void checkReplay() {
      for (String id : reservationIds) {
        Reservation r = find(id);
        assertTrue(r != null, () -> ctx("reservation " + id + " is neither in memory nor in the archive"));
        Map<String, Long> committed = Draws.perCategory(r.committed());
        r.refundable().forEach((c, a) -> assertTrue(a >= 0 && a <= committed.getOrDefault(c, 0L), () -> ctx("refunded past committed: " + r)));
      }
      WalletState replayed = WalletState.EMPTY;
      for (WalletEvent e : journal) replayed = replayed.apply(e);
      assertEquals(state.grants(), replayed.grants(), () -> ctx("replayed grants"));
      assertEquals(state.reservations(), replayed.reservations(), () -> ctx("replayed reservations"));
      assertEquals(state.totals(), replayed.totals(), () -> ctx("replayed totals"));
      assertEquals(state.grantSeq(), replayed.grantSeq(), () -> ctx("replayed grantSeq"));
      assertEquals(state.nextDeadline(policy), replayed.nextDeadline(policy), () -> ctx("replayed deadline"));
      assertEquals(state.archivedTotal(), replayed.archivedTotal(), () -> ctx("replayed archivedTotal"));
      assertEquals(state.openHolds(), replayed.openHolds(), () -> ctx("replayed openHolds"));
      assertEquals(state.recentCount(), replayed.recentCount(), () -> ctx("replayed recent window"));
      assertEquals(WalletViews.audit(state), WalletViews.audit(replayed), () -> ctx("replayed audit"));
    }
  }
}
