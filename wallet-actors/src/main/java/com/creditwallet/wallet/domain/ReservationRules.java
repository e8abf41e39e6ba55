package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.ReservationRestored;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spending: reserve (hold or one-step debit), commit, release, refund, estimate. A reservation
 * the commands name may be in memory or, once finished for a while, in the archive: the entity
 * reads the archive first and hands what it found to the {@link Decision}, so these rules see
 * both alike. Repeats of a finished step change nothing; the same id with another body is 409.
 */
public final class ReservationRules {
  private ReservationRules() {}

  // ---- reservations -------------------------------------------------------------------------

  /** Holds credits (HOLD) or takes them for good (DEBIT: reserve and commit in one step). */
  public static List<WalletEvent> reserve(Decision d, ReserveRequest r, ReservationKind kind, Instant now) {
    return reserve(d, r, null, kind, now);
  }

  /**
   * Holds credits (HOLD) or takes them for good (DEBIT: reserve and commit in one step). For the
   * operation form {@code unitCosts} is the rate card's cost of one unit with the request's
   * sender. All lines are taken or none; with allowPartial the largest affordable quantity (or
   * amount, for a single line) is taken, and 409 only when nothing is affordable.
   */
  public static List<WalletEvent> reserve(
      Decision d, ReserveRequest r, Map<String, Long> unitCosts, ReservationKind kind, Instant now) {
    WalletState s = d.state();
    String idField = kind == ReservationKind.DEBIT ? "debitId" : "reservationId";
    Validation.requireId(idField, r.id());
    if (r.subBudget() != null) Validation.requireId("subBudget", r.subBudget());
    if (r.reference() != null && r.reference().length() > 256) {
      throw Rejection.invalid("reference", "must be at most 256 characters");
    }
    if (kind == ReservationKind.HOLD && (r.ttlSeconds() < 1 || r.ttlSeconds() > Validation.MAX_TTL_SECONDS)) {
      throw Rejection.invalid("ttlSeconds", "must be from 1 to " + Validation.MAX_TTL_SECONDS);
    }
    // The id first: a retry of the same body is answered as before even if the rate card changed.
    Optional<Reservation> existing = d.findReservation(r.id());
    if (existing.isPresent()) {
      Reservation e = existing.get();
      if (e.kind() == kind && e.request().equals(r)) return List.of();
      throw Rejection.conflict(idField + " " + r.id());
    }
    Units units = units(s, r.lines(), r.operation(), r.quantity(), unitCosts);
    if (!s.status().acceptsNewSpending()) throw WalletRules.statusRejection(s.status());
    if (kind == ReservationKind.HOLD && s.openHolds() >= d.policy().maxOpenHolds()) {
      throw new Rejection(Rejection.TOO_MANY_OPEN_HOLDS,
          "this wallet has " + s.openHolds() + " open holds, the most it may have; commit or release some first",
          Map.of("openHolds", (long) s.openHolds(), "maxOpenHolds", (long) d.policy().maxOpenHolds()));
    }
    if (r.allowPartial() && !units.partialAllowed()) {
      throw Rejection.invalid("allowPartial", "needs the operation form or exactly one line");
    }
    if (r.subBudget() != null && s.subBudget(r.subBudget()).isEmpty()) {
      throw Rejection.invalid("subBudget", "is not defined; create it with PUT .../sub-budgets/" + r.subBudget());
    }
    long affordable = affordable(s, units.unit(), r.subBudget());
    long quantity = r.allowPartial() ? Math.min(units.quantity(), affordable) : units.quantity();
    if (quantity == 0 || quantity > affordable) throw shortOf(s, units.unit(), r.subBudget(), quantity == 0 ? 1 : quantity);
    List<Line> lines = times(units.unit(), quantity);
    List<Draw> draws = new ArrayList<>();
    for (Line l : lines) draws.addAll(allocate(s, l, s.grantCap(l.category(), r.subBudget())));
    Instant expiresAt = kind == ReservationKind.HOLD ? now.plusSeconds(r.ttlSeconds()) : null;
    int mark = d.size();
    d.emit(CreditsReserved.of(now, kind, r, lines, List.copyOf(draws), expiresAt, r.operationForm() ? quantity : null));
    if (kind == ReservationKind.DEBIT) {
      d.emit(new ReservationCommitted(now, r.id(), List.copyOf(draws), List.of(), List.of(), Map.of()));
    }
    return d.eventsSince(mark);
  }

  /**
   * Why {@code quantity} units are not affordable: the sub-budget's allocation when that is what
   * binds (SUB_BUDGET_EXHAUSTED), else the wallet's credits (INSUFFICIENT_CREDITS).
   */
  private static Rejection shortOf(WalletState s, List<Line> unit, String subBudget, long quantity) {
    SubBudget b = s.subBudget(subBudget).orElse(null);
    for (Line l : unit) {
      long need = Math.multiplyExact(l.amount(), quantity);
      if (b != null && b.allocates(l.category()) && need > s.spendable(l.category(), subBudget)
          && b.unspent(l.category()) < need) {
        Map<String, Long> left = new TreeMap<>();
        for (Line x : unit) if (b.allocates(x.category())) left.put(x.category(), b.unspent(x.category()));
        return new Rejection(Rejection.SUB_BUDGET_EXHAUSTED,
            "sub-budget " + subBudget + " has not enough of its allocation left",
            Map.of("subBudget", subBudget, "unspent", left));
      }
    }
    return new Rejection(Rejection.INSUFFICIENT_CREDITS, "not enough credits for this reservation",
        Map.of("available", availableOf(s, unit)));
  }

  /** What a request would cost and whether it is affordable now; changes nothing. */
  public static Estimate estimate(
      WalletState s, List<Line> lines, String operation, Long quantity, Map<String, Long> unitCosts) {
    return estimate(s, lines, operation, quantity, unitCosts, null);
  }

  public static Estimate estimate(
      WalletState s, List<Line> lines, String operation, Long quantity, Map<String, Long> unitCosts,
      String subBudget) {
    Units units = units(s, lines, operation, quantity, unitCosts);
    if (subBudget != null && s.subBudget(subBudget).isEmpty()) throw Rejection.invalid("subBudget", "is not defined");
    long affordable = s.status().acceptsNewSpending() ? affordable(s, units.unit(), subBudget) : 0;
    return new Estimate(
        times(units.unit(), units.quantity()), availableOf(s, units.unit()),
        affordable >= units.quantity(), Math.min(affordable, units.quantity()));
  }

  /**
   * A request as "quantity x unit". The operation form is that already; a single line is
   * {amount x 1 credit} so allowPartial can take part of it; several lines are one unit.
   */
  private record Units(List<Line> unit, long quantity, boolean partialAllowed) {}

  private static Units units(
      WalletState s, List<Line> lines, String operation, Long quantity, Map<String, Long> unitCosts) {
    if (operation != null) {
      Validation.requireId("operation", operation);
      if (quantity == null) throw Rejection.invalid("quantity", "is required with operation");
      Validation.requireAmount("quantity", quantity);
      if (lines != null && !lines.isEmpty()) throw Rejection.invalid("lines", "give either lines or operation, not both");
      if (unitCosts == null || unitCosts.isEmpty()) throw Rejection.invalid("operation", "has no costs");
      List<Line> unit = new ArrayList<>();
      unitCosts.forEach((c, a) -> unit.add(new Line(c, a)));
      try {
        times(unit, quantity).forEach(l -> Validation.requireAmount("quantity", l.amount()));
      } catch (ArithmeticException e) {
        throw Rejection.invalid("quantity", "makes the cost exceed 10^12");
      }
      return new Units(List.copyOf(unit), quantity, true);
    }
    requireLines(lines, s);
    if (lines.size() == 1) return new Units(List.of(new Line(lines.get(0).category(), 1)), lines.get(0).amount(), true);
    return new Units(List.copyOf(lines), 1, false);
  }

  private static List<Line> times(List<Line> unit, long quantity) {
    List<Line> out = new ArrayList<>();
    for (Line l : unit) out.add(new Line(l.category(), Math.multiplyExact(l.amount(), quantity)));
    return List.copyOf(out);
  }

  /** The most units affordable now by this sub-budget (or the pool), over all categories. */
  private static long affordable(WalletState s, List<Line> unit, String subBudget) {
    long best = Long.MAX_VALUE;
    for (Line l : unit) best = Math.min(best, Math.max(0, s.spendable(l.category(), subBudget)) / l.amount());
    return best;
  }

  private static Map<String, Long> availableOf(WalletState s, List<Line> unit) {
    Map<String, Long> out = new TreeMap<>();
    for (Line l : unit) out.put(l.category(), s.available(l.category()));
    return out;
  }

  /**
   * Draws a line from the grants in consumption order, at most {@code grantCap} of it (the pool
   * must leave credits set aside for sub-budgets alone); the rest comes from the overdraft.
   */
  static List<Draw> allocate(WalletState s, Line line, long grantCap) {
    if (s.isUnlimited(line.category())) return List.of(new Draw(Draw.UNLIMITED, line.category(), line.amount()));
    List<Draw> out = new ArrayList<>();
    long fromGrants = Math.min(line.amount(), grantCap);
    long left = fromGrants;
    for (Grant g : s.spendingOrder(line.category())) {
      if (left == 0) break;
      long take = Math.min(left, g.remaining());
      out.add(new Draw(g.grantId(), line.category(), take));
      left -= take;
    }
    long fromOverdraft = left + (line.amount() - fromGrants);
    if (fromOverdraft > 0) out.add(new Draw(Draw.OVERDRAFT, line.category(), fromOverdraft));
    return out;
  }

  /**
   * Commits everything ({@code lines} null) or part; the rest goes back. A repeat that asks for
   * what was committed changes nothing; anything else (other lines, or "everything" after a
   * partial commit) is 409 IDEMPOTENCY_CONFLICT.
   */
  public static List<WalletEvent> commit(Decision d, String reservationId, List<Line> lines, Instant now) {
    WalletState s = d.state();
    Reservation r = d.requireReservation(reservationId);
    switch (r.status()) {
      case COMMITTED:
        // A repeat asks for what was committed (a full commit: everything held); else it is 409.
        if (!new TreeMap<>(commitAmounts(r.draws(), lines)).equals(new TreeMap<>(Draws.perCategory(r.committed())))) {
          throw Rejection.conflict("the commit of reservation " + reservationId);
        }
        return List.of();
      case RELEASED:
        throw new Rejection(Rejection.RESERVATION_RELEASED, "reservation " + reservationId + " was released", Map.of());
      case EXPIRED:
        throw new Rejection(Rejection.RESERVATION_EXPIRED, "reservation " + reservationId + " expired", Map.of());
      default:
        break;
    }
    Map<String, Long> toCommit = commitAmounts(r.draws(), lines);
    List<Draw> committed = new ArrayList<>();
    List<Draw> rest = new ArrayList<>();
    Map<String, Long> left = new LinkedHashMap<>(toCommit);
    for (Draw x : r.draws()) {
      long want = left.getOrDefault(x.category(), 0L);
      long take = Math.min(want, x.amount());
      if (take > 0) committed.add(x.withAmount(take));
      if (x.amount() > take) rest.add(x.withAmount(x.amount() - take));
      left.put(x.category(), want - take);
    }
    Split split = splitReturn(s, rest);
    int mark = d.size();
    d.emit(new ReservationCommitted(now, r.reservationId(), committed, split.back, split.expired, Map.of()));
    SubBudgetRules.rebalance(d, now);
    return d.eventsSince(mark);
  }

  /** What a commit takes per category: everything held ({@code lines} null) or the lines, checked. */
  private static Map<String, Long> commitAmounts(List<Draw> draws, List<Line> lines) {
    Map<String, Long> held = Draws.perCategory(draws);
    if (lines == null) return held;
    if (lines.isEmpty()) throw Rejection.invalid("lines", "must not be empty; omit it to commit everything");
    Map<String, Long> toCommit = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      String f = "lines[" + i + "]";
      Validation.requireCategory(f + ".category", l.category());
      Validation.requireAmount(f + ".amount", l.amount());
      if (toCommit.containsKey(l.category())) throw Rejection.invalid(f + ".category", "appears twice");
      long h = held.getOrDefault(l.category(), 0L);
      if (l.amount() > h) throw Rejection.invalid(f + ".amount", "is more than the " + h + " held");
      toCommit.put(l.category(), l.amount());
    }
    return toCommit;
  }

  /** Releases a hold. Repeats (also after expiry) change nothing; a committed one cannot. */
  public static List<WalletEvent> release(Decision d, String reservationId, Instant now) {
    Reservation r = d.requireReservation(reservationId);
    return switch (r.status()) {
      case RELEASED, EXPIRED -> List.of();
      case COMMITTED -> throw new Rejection(Rejection.RESERVATION_COMMITTED, "reservation " + reservationId + " was committed", Map.of());
      case HELD -> {
        int mark = d.size();
        giveBack(d, r, now, false);
        yield d.eventsSince(mark);
      }
    };
  }

  /** A hold's TTL passed: it is released by itself (EXPIRED). */
  static void expireHold(Decision d, Reservation r, Instant at) {
    giveBack(d, r, at, true);
  }

  private static void giveBack(Decision d, Reservation r, Instant at, boolean ttl) {
    Split split = splitReturn(d.state(), r.draws());
    d.emit(new ReservationReleased(at, r.reservationId(), ttl, split.back, split.expired, Map.of()));
    SubBudgetRules.rebalance(d, at);
  }

  private record Split(List<Draw> back, List<Draw> expired) {}

  /** Credits going back: to their grant, unless it expired meanwhile, then they expire now. */
  private static Split splitReturn(WalletState s, List<Draw> draws) {
    List<Draw> back = new ArrayList<>();
    List<Draw> expired = new ArrayList<>();
    for (Draw d : draws) {
      boolean gone = !d.fromPseudoGrant() && s.grant(d.grantId()).map(Grant::expired).orElse(true);
      (gone ? expired : back).add(d);
    }
    return new Split(List.copyOf(back), List.copyOf(expired));
  }

  /**
   * Returns committed credits to the grants they came from, most recently drawn first (an undo),
   * never more than committed minus already refunded. Idempotent by refundId.
   */
  public static List<WalletEvent> refund(Decision d, String reservationId, RefundRequest req, Instant now) {
    WalletState s = d.state();
    Validation.requireId("refundId", req.refundId());
    if (req.reason() != null && req.reason().length() > 256) throw Rejection.invalid("reason", "must be at most 256 characters");
    Reservation r = d.requireReservation(reservationId);
    if (req.lines().isEmpty()) throw Rejection.invalid("lines", "must not be empty");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < req.lines().size(); i++) {
      Line l = req.lines().get(i);
      Validation.requireCategory("lines[" + i + "].category", l.category());
      Validation.requireAmount("lines[" + i + "].amount", l.amount());
      if (!seen.add(l.category())) throw Rejection.invalid("lines[" + i + "].category", "appears twice");
    }
    Reservation.Refund previous = r.refunds().get(req.refundId());
    if (previous != null) {
      if (previous.request().equals(req)) return List.of();
      throw Rejection.conflict("refundId " + req.refundId());
    }
    Map<String, Long> refundable = r.refundable();
    for (Line l : req.lines()) {
      if (l.amount() > refundable.getOrDefault(l.category(), 0L)) {
        throw new Rejection(Rejection.REFUND_EXCEEDS_COMMITTED,
            "refund of " + l.amount() + " " + l.category() + " exceeds what is committed and not yet refunded",
            Map.of("refundable", new TreeMap<>(refundable)));
      }
    }
    // Net committed per draw (committed minus refunded), walked in reverse.
    Map<String, Long> refundedByGrant = new LinkedHashMap<>();
    for (Draw x : r.refunded()) refundedByGrant.merge(x.grantId() + "\u0000" + x.category(), x.amount(), Long::sum);
    List<Draw> refunded = new ArrayList<>();
    Map<String, Long> want = new LinkedHashMap<>();
    for (Line l : req.lines()) want.put(l.category(), l.amount());
    List<Draw> committed = r.committed();
    for (int i = committed.size() - 1; i >= 0; i--) {
      Draw x = committed.get(i);
      String key = x.grantId() + "\u0000" + x.category();
      long alreadyBack = refundedByGrant.getOrDefault(key, 0L);
      long net = x.amount() - alreadyBack;
      refundedByGrant.put(key, Math.max(0, alreadyBack - x.amount()));
      long take = Math.min(net, want.getOrDefault(x.category(), 0L));
      if (take <= 0) continue;
      refunded.add(x.withAmount(take));
      want.merge(x.category(), -take, Long::sum);
    }
    List<Draw> expiredOnRefund = new ArrayList<>();
    List<Draw> credited = new ArrayList<>();
    for (Draw x : refunded) {
      if (x.fromOverdraft()) {
        long excess = x.amount() - Math.min(x.amount(), s.totals(x.category()).overdraftDebt());
        if (excess > 0) {
          // One per category: a refund may return overdraft credits of several categories.
          String id = "~refund:" + reservationId + ":" + req.refundId() + ":" + x.category();
          credited.add(new Draw(id, x.category(), excess));
        }
      } else if (!x.fromUnlimited() && s.grant(x.grantId()).map(Grant::expired).orElse(true)) {
        expiredOnRefund.add(x);
      }
    }
    int mark = d.size();
    if (s.reservation(reservationId).isEmpty()) d.emit(new ReservationRestored(now, ReservationRecord.of(r), Map.of()));
    d.emit(new CreditsRefunded(now, reservationId, req.refundId(), req.lines(), req.reason(), List.copyOf(refunded),
        List.copyOf(expiredOnRefund), List.copyOf(credited), Map.of()));
    SubBudgetRules.rebalance(d, now);
    return d.eventsSince(mark);
  }

  private static void requireLines(List<Line> lines, WalletState s) {
    if (lines == null || lines.isEmpty()) throw Rejection.invalid("lines", "must have at least one line");
    if (lines.size() > Validation.MAX_LINES) {
      throw Rejection.invalid("lines", "must have at most " + Validation.MAX_LINES + " lines");
    }
    // Runs for every reservation, mostly of one line: no set for the duplicates (each line is
    // compared with the ones before it), and field names are built only for a rejection.
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      if (!Validation.isCategory(l.category())) Validation.requireCategory(lineField(i, "category"), l.category());
      if (!Validation.isAmount(l.amount())) Validation.requireAmount(lineField(i, "amount"), l.amount());
      for (int j = 0; j < i; j++) {
        if (lines.get(j).category().equals(l.category())) throw Rejection.invalid(lineField(i, "category"), "appears twice");
      }
      if (!s.knowsCategory(l.category())) {
        throw Rejection.invalid(lineField(i, "category"), "is not a category of this wallet");
      }
    }
  }

  private static String lineField(int index, String name) {
    return "lines[" + index + "]." + name;
  }

}
