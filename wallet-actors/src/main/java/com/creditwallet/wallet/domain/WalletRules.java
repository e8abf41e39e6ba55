package com.creditwallet.wallet.domain;

import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsPruned;
import com.creditwallet.wallet.domain.WalletEvent.WalletConfigured;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every business rule of a wallet as a pure function of (state, request, now) to draft events.
 * A rule either returns the events to persist (none for an idempotent repeat) or throws a
 * {@link Rejection}; it never changes the state itself. The entity persists what it returns.
 */
public final class WalletRules {
  private WalletRules() {}

  // ---- deadlines ----------------------------------------------------------------------------

  /**
   * Everything already due at {@code now}, in deadline order, applied one after the other (a hold
   * that expires first returns its credits before their grant expires). Runs before every
   * command, so no command ever sees a deadline that has passed.
   */
  public static WalletState.Settled dueEvents(WalletState state, Instant now, WalletPolicy policy) {
    List<WalletEvent> events = new ArrayList<>();
    WalletState s = state;
    while (true) {
      Optional<Deadline> next = s.firstDeadline();
      if (next.isEmpty() || next.get().at().isAfter(now)) break;
      Deadline d = next.get();
      List<WalletEvent> drafts =
          switch (d.kind()) {
            case HOLD -> List.of(releaseDraft(s, s.reservations().get(d.id()), d.at(), true));
            case GRANT -> {
              Grant g = s.grants().get(d.id());
              yield List.of(new GrantExpired(d.at(), g.grantId(), g.category(), g.remaining(), Map.of()));
            }
            case CYCLE -> cycleReset(s, d.at());
            case TRIAL -> List.of(new WalletEvent.TrialEnded(d.at(), Map.of()));
            case SETTLED -> throw new IllegalStateException("settled deadlines are not in this index");
          };
      WalletState.Settled step = s.settle(thenRebalance(s, drafts, d.at()));
      events.addAll(step.events());
      s = step.state();
    }
    List<String> prunable = s.settledBefore(now.minus(policy.reservationRetention()));
    if (!prunable.isEmpty()) {
      WalletState.Settled step = s.settle(List.of(new ReservationsPruned(now, prunable, Map.of())));
      events.addAll(step.events());
      s = step.state();
    }
    return new WalletState.Settled(List.copyOf(events), s);
  }

  // ---- wallet -------------------------------------------------------------------------------

  /** Creates the wallet or changes its settings; no event when nothing changes. */
  public static List<WalletEvent> configure(
      WalletState s, WalletSettings.SettingsUpdate update, Instant now) {
    if (update.timeZone() != null) {
      try {
        ZoneId.of(update.timeZone());
      } catch (DateTimeException e) {
        throw Rejection.invalid("timeZone", "is not a known time zone");
      }
    }
    requireCategoryAmounts("lowBalanceThresholds", update.lowBalanceThresholds(), true);
    requireCategoryAmounts("overdraft", update.overdraft(), true);
    WalletSettings merged = (s.exists() ? s.settings() : WalletSettings.DEFAULTS).merge(update);
    if (s.exists() && merged.equals(s.settings())) return List.of();
    return List.of(new WalletConfigured(now, merged, Map.of()));
  }

  // ---- plans and cycles ---------------------------------------------------------------------

  /**
   * Subscribes to a plan, or changes plan: a cycle starts now. The PLAN credits of the cycle
   * being left expire at once (no rollover on a change); the new plan's allowances and trial
   * credits are granted. Subscribing again to the very same plan changes nothing. A trial is
   * given once per wallet.
   */
  public static List<WalletEvent> subscribe(WalletState s, Plan plan, Instant now) {
    Subscription current = s.subscription();
    if (current != null && current.plan().equals(plan)) return List.of();
    if (plan.trial() != null && s.trialUsed()) {
      throw new Rejection("TRIAL_ALREADY_USED", 409, "this wallet already had a trial", Map.of());
    }
    ZoneId zone = s.settings().zone();
    long cycleNumber = current == null ? 1 : current.cycleNumber() + 1;
    Instant cycleEnd = CycleMath.cycleEnd(now, plan.cycle(), zone, 0);
    Instant trialEnd = plan.trial() == null ? null : CycleMath.plus(now, plan.trial().duration(), zone, 1);
    Drafts drafts = new Drafts(s);
    expirePlanGrants(drafts, now);
    drafts.add(new WalletEvent.PlanSubscribed(now, plan, cycleNumber, now, cycleEnd, trialEnd, Map.of()));
    issuePlanGrants(drafts, plan, cycleNumber, now, cycleEnd);
    if (plan.trial() != null) {
      plan.trial().credits().forEach((category, amount) -> {
        if (amount > 0) {
          drafts.grant(new GrantRequest("trial:" + plan.planId() + ":" + cycleNumber + ":" + category,
              category, amount, GrantSource.TRIAL, trialEnd, null, null, 0, false), now, trialEnd);
        }
      });
    }
    return drafts.events();
  }

  /**
   * The end of a cycle: unused PLAN credits expire, up to the plan's rollover cap of them come
   * back as a ROLLOVER grant valid for the new cycle, and fresh PLAN grants are issued.
   */
  static List<WalletEvent> cycleReset(WalletState s, Instant at) {
    Subscription sub = s.subscription();
    Plan plan = sub.plan();
    Map<String, Long> unused = new TreeMap<>();
    for (Grant g : s.grants().values()) {
      if (g.source() == GrantSource.PLAN && !g.expired()) unused.merge(g.category(), g.remaining(), Long::sum);
    }
    long cycleNumber = sub.cycleNumber() + 1;
    Instant end = CycleMath.cycleEnd(sub.anchor(), plan.cycle(), s.settings().zone(), sub.cycleIndex() + 1);
    Drafts drafts = new Drafts(s);
    expirePlanGrants(drafts, at);
    drafts.add(new WalletEvent.CycleReset(at, cycleNumber, at, end, Map.of()));
    unused.forEach((category, amount) -> {
      long rolled = Math.min(amount, plan.rolloverCap(category));
      if (rolled > 0) {
        drafts.grant(new GrantRequest("rollover:" + cycleNumber + ":" + category, category, rolled,
            GrantSource.ROLLOVER, end, null, null, 0, false), at, end);
      }
    });
    issuePlanGrants(drafts, plan, cycleNumber, at, end);
    return drafts.events();
  }

  private static void expirePlanGrants(Drafts drafts, Instant at) {
    List<Grant> live = new ArrayList<>();
    for (Grant g : drafts.state().grants().values()) {
      if (g.source() == GrantSource.PLAN && !g.expired()) live.add(g);
    }
    live.sort(java.util.Comparator.comparingLong(Grant::issueSeq));
    for (Grant g : live) drafts.add(new GrantExpired(at, g.grantId(), g.category(), g.remaining(), Map.of()));
  }

  private static void issuePlanGrants(Drafts drafts, Plan plan, long cycleNumber, Instant at, Instant end) {
    plan.allowances().forEach((category, amount) -> {
      if (amount > 0 && !plan.isUnlimited(category)) {
        drafts.grant(new GrantRequest("plan:" + plan.planId() + ":" + cycleNumber + ":" + category,
            category, amount, GrantSource.PLAN, end, null, null, 0, false), at, end);
      }
    });
  }

  /** Builds a sequence of events where each one is decided on the state the previous left. */
  private static final class Drafts {
    private WalletState state;
    private final List<WalletEvent> events = new ArrayList<>();

    Drafts(WalletState state) {
      this.state = state;
    }

    WalletState state() {
      return state;
    }

    void add(WalletEvent e) {
      state = state.apply(e);
      events.add(e);
    }

    /** A system grant (plan, trial, rollover); it pays back committed overdraft first. */
    void grant(GrantRequest r, Instant at, Instant expiresAt) {
      add(grantIssued(state, r, at, expiresAt, List.of()));
    }

    List<WalletEvent> events() {
      return List.copyOf(events);
    }
  }

  // ---- sub-budgets --------------------------------------------------------------------------

  /**
   * Creates a sub-budget or sets its allocation (the total it may spend per category, spent
   * included). What it newly sets aside must come from the unassigned pool, else 409.
   */
  public static List<WalletEvent> configureSubBudget(
      WalletState s, String name, Map<String, Long> allocated, Instant now) {
    Validation.requireId("subBudget", name);
    Map<String, Long> alloc = new TreeMap<>(allocated == null ? Map.of() : allocated);
    requireCategoryAmounts("allocated", alloc, true);
    for (String c : alloc.keySet()) {
      if (s.isUnlimited(c)) throw Rejection.invalid("allocated." + c, "is unlimited in the plan; nothing to allocate");
    }
    Optional<SubBudget> old = s.subBudget(name);
    if (old.isPresent() && old.get().allocated().equals(alloc)) return List.of();
    SubBudget before = old.orElse(SubBudget.create(name, Map.of()));
    SubBudget after = before.withAllocated(alloc);
    Map<String, Long> unassigned = new TreeMap<>();
    boolean enough = true;
    for (String c : alloc.keySet()) {
      long more = after.unspent(c) - before.unspent(c);
      unassigned.put(c, Math.max(0, s.unassigned(c)));
      if (more > s.unassigned(c)) enough = false;
    }
    if (!enough) {
      throw new Rejection(Rejection.INSUFFICIENT_CREDITS, 409,
          "allocating more than the unassigned pool", Map.of("unassigned", unassigned));
    }
    return List.of(new WalletEvent.SubBudgetConfigured(now, name, alloc, Map.of()));
  }

  /**
   * After credits expired: whatever the allocations now exceed the live credits by is taken
   * from them in proportion to their unspent size. The unassigned pool absorbed its part first
   * simply by being what is left over.
   */
  static List<WalletEvent> rebalance(WalletState s, Instant at) {
    if (s.subBudgets().isEmpty()) return List.of();
    java.util.Set<String> categories = new java.util.TreeSet<>();
    for (SubBudget b : s.subBudgets().values()) categories.addAll(b.allocated().keySet());
    List<WalletEvent> out = new ArrayList<>();
    for (String c : categories) {
      long excess = s.allocatedUnspent(c) - Math.max(0, s.grantRemaining(c));
      if (excess <= 0) continue;
      Map<String, Long> weights = new TreeMap<>();
      for (SubBudget b : s.subBudgets().values()) if (b.unspent(c) > 0) weights.put(b.name(), b.unspent(c));
      out.add(new WalletEvent.AllocationsReduced(at, c, ProportionalSplit.split(excess, weights), Map.of()));
    }
    return out;
  }

  /** The drafts, then the rebalance they call for. */
  private static List<WalletEvent> thenRebalance(WalletState s, List<WalletEvent> drafts, Instant at) {
    if (s.subBudgets().isEmpty() || drafts.isEmpty()) return drafts;
    WalletState after = s;
    for (WalletEvent e : drafts) after = after.apply(e);
    List<WalletEvent> out = new ArrayList<>(drafts);
    out.addAll(rebalance(after, at));
    return List.copyOf(out);
  }

  // ---- grants -------------------------------------------------------------------------------

  public static List<WalletEvent> issueGrant(
      WalletState s, GrantRequest r, Instant now, WalletPolicy policy) {
    Validation.requireId("grantId", r.grantId());
    Validation.requireCategory("category", r.category());
    Validation.requireAmount("amount", r.amount());
    if (r.source() == null) throw Rejection.invalid("source", "is required");
    int expiryForms =
        (r.expiresAt() != null ? 1 : 0) + (r.expiresOn() != null ? 1 : 0) + (r.validFor() != null ? 1 : 0);
    if (expiryForms > 1) {
      throw Rejection.invalid("expiresAt", "give at most one of expiresAt, expiresOn and validFor");
    }
    if (r.extendExisting() && r.source() != GrantSource.PACKAGE) {
      throw Rejection.invalid("extendExisting", "applies to PACKAGE grants only");
    }
    Optional<Grant> existing = s.grant(r.grantId());
    if (existing.isPresent()) {
      if (r.equals(existing.get().request())) return List.of();
      throw Rejection.conflict("grantId " + r.grantId());
    }
    if (r.source() == GrantSource.TOPUP && (r.amount() < policy.topupMin() || r.amount() > policy.topupMax())) {
      throw new Rejection(
          Rejection.TOPUP_OUT_OF_BOUNDS,
          400,
          "a top-up must be between " + policy.topupMin() + " and " + policy.topupMax() + " credits",
          Map.of("field", "amount", "min", policy.topupMin(), "max", policy.topupMax()));
    }
    Instant expiresAt = resolveExpiry(r, s.settings().zone(), now);
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw Rejection.invalid(r.expiresOn() != null ? "expiresOn" : "expiresAt", "must be in the future");
    }
    List<String> extended = new ArrayList<>();
    if (r.extendExisting()) {
      for (Grant g : s.grants().values()) {
        boolean later = expiresAt == null || (g.expiresAt() != null && g.expiresAt().isBefore(expiresAt));
        if (g.source() == GrantSource.PACKAGE && !g.expired() && g.category().equals(r.category())
            && g.expiresAt() != null && later) {
          extended.add(g.grantId());
        }
      }
      extended.sort(String::compareTo);
    }
    return List.of(grantIssued(s, r, now, expiresAt, List.copyOf(extended)));
  }

  /** Every grant, client or system, pays back committed overdraft of its category first. */
  private static GrantIssued grantIssued(
      WalletState s, GrantRequest r, Instant at, Instant expiresAt, List<String> extended) {
    long repaid = Math.min(r.amount(), s.totals(r.category()).overdraftDebt());
    Grant g = new Grant(r.grantId(), r.category(), r.source(), r.amount(), r.amount() - repaid,
        r.priority(), expiresAt, at, s.grantSeq() + 1, false, r);
    return new GrantIssued(at, g, repaid, extended, Map.of());
  }

  /**
   * expiresOn is the end of that day in the wallet's time zone (the start of the next day there,
   * so DST is handled by the zone rules); validFor is a period (calendar, in the wallet's zone)
   * or a duration from now.
   */
  static Instant resolveExpiry(GrantRequest r, ZoneId zone, Instant now) {
    if (r.expiresAt() != null) return r.expiresAt();
    if (r.expiresOn() != null) return r.expiresOn().plusDays(1).atStartOfDay(zone).toInstant();
    if (r.validFor() != null) {
      try {
        if (r.validFor().contains("T")) return now.plus(Duration.parse(r.validFor()));
        return now.atZone(zone).plus(Period.parse(r.validFor())).toInstant();
      } catch (DateTimeException | ArithmeticException e) {
        throw Rejection.invalid("validFor", "must be an ISO-8601 period or duration such as P2Y or PT1H");
      }
    }
    return null;
  }

  // ---- reservations -------------------------------------------------------------------------

  /** Holds credits (HOLD) or takes them for good (DEBIT: reserve and commit in one step). */
  public static List<WalletEvent> reserve(
      WalletState s, ReserveRequest r, ReservationKind kind, Instant now) {
    return reserve(s, r, null, kind, now);
  }

  /**
   * Holds credits (HOLD) or takes them for good (DEBIT: reserve and commit in one step). For the
   * operation form {@code unitCosts} is the rate card's cost of one unit with the request's
   * sender. All lines are taken or none; with allowPartial the largest affordable quantity (or
   * amount, for a single line) is taken, and 409 only when nothing is affordable.
   */
  public static List<WalletEvent> reserve(
      WalletState s, ReserveRequest r, Map<String, Long> unitCosts, ReservationKind kind, Instant now) {
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
    Optional<Reservation> existing = s.reservation(r.id());
    if (existing.isPresent()) {
      Reservation e = existing.get();
      if (e.kind() == kind && e.request().equals(r)) return List.of();
      throw Rejection.conflict(idField + " " + r.id());
    }
    Units units = units(s, r.lines(), r.operation(), r.quantity(), unitCosts);
    if (!s.status().acceptsNewSpending()) throw statusRejection(s.status());
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
    CreditsReserved reserved = new CreditsReserved(
        now, r.id(), kind, r, lines, List.copyOf(draws), expiresAt, r.operationForm() ? quantity : null, Map.of());
    if (kind == ReservationKind.HOLD) return List.of(reserved);
    ReservationCommitted committed =
        new ReservationCommitted(now, r.id(), List.copyOf(draws), List.of(), List.of(), Map.of());
    return List.of(reserved, committed);
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
        return new Rejection("SUB_BUDGET_EXHAUSTED", 409,
            "sub-budget " + subBudget + " has not enough of its allocation left",
            Map.of("subBudget", subBudget, "unspent", left));
      }
    }
    return new Rejection(
        Rejection.INSUFFICIENT_CREDITS, 409, "not enough credits for this reservation",
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

  /** Commits everything ({@code lines} null) or part; the rest goes back. Repeats change nothing. */
  public static List<WalletEvent> commit(WalletState s, String reservationId, List<Line> lines, Instant now) {
    Reservation r = s.requireReservation(reservationId);
    switch (r.status()) {
      case COMMITTED:
        return List.of();
      case RELEASED:
        throw new Rejection(Rejection.RESERVATION_RELEASED, 409, "reservation " + reservationId + " was released", Map.of());
      case EXPIRED:
        throw new Rejection(Rejection.RESERVATION_EXPIRED, 409, "reservation " + reservationId + " expired", Map.of());
      default:
        break;
    }
    Map<String, Long> toCommit;
    if (lines == null) {
      toCommit = Draws.perCategory(r.draws());
    } else {
      if (lines.isEmpty()) throw Rejection.invalid("lines", "must not be empty; omit it to commit everything");
      Map<String, Long> held = Draws.perCategory(r.draws());
      toCommit = new LinkedHashMap<>();
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
    }
    List<Draw> committed = new ArrayList<>();
    List<Draw> rest = new ArrayList<>();
    Map<String, Long> left = new LinkedHashMap<>(toCommit);
    for (Draw d : r.draws()) {
      long want = left.getOrDefault(d.category(), 0L);
      long take = Math.min(want, d.amount());
      if (take > 0) committed.add(d.withAmount(take));
      if (d.amount() > take) rest.add(d.withAmount(d.amount() - take));
      left.put(d.category(), want - take);
    }
    Split split = splitReturn(s, rest);
    return thenRebalance(s, List.of(new ReservationCommitted(now, r.reservationId(), committed, split.back, split.expired, Map.of())), now);
  }

  /** Releases a hold. Repeats (also after expiry) change nothing; a committed one cannot. */
  public static List<WalletEvent> release(WalletState s, String reservationId, Instant now) {
    Reservation r = s.requireReservation(reservationId);
    return switch (r.status()) {
      case RELEASED, EXPIRED -> List.of();
      case COMMITTED -> throw new Rejection(
          Rejection.RESERVATION_COMMITTED, 409, "reservation " + reservationId + " was committed", Map.of());
      case HELD -> thenRebalance(s, List.of(releaseDraft(s, r, now, false)), now);
    };
  }

  private static ReservationReleased releaseDraft(WalletState s, Reservation r, Instant at, boolean ttl) {
    Split split = splitReturn(s, r.draws());
    return new ReservationReleased(at, r.reservationId(), ttl, split.back, split.expired, Map.of());
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
  public static List<WalletEvent> refund(WalletState s, String reservationId, RefundRequest req, Instant now) {
    Validation.requireId("refundId", req.refundId());
    if (req.reason() != null && req.reason().length() > 256) throw Rejection.invalid("reason", "must be at most 256 characters");
    Reservation r = s.requireReservation(reservationId);
    if (req.lines().isEmpty()) throw Rejection.invalid("lines", "must not be empty");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < req.lines().size(); i++) {
      Line l = req.lines().get(i);
      Validation.requireCategory("lines[" + i + "].category", l.category());
      Validation.requireAmount("lines[" + i + "].amount", l.amount());
      if (!seen.add(l.category())) throw Rejection.invalid("lines[" + i + "].category", "appears twice");
    }
    RefundRequest previous = r.refunds().get(req.refundId());
    if (previous != null) {
      if (previous.equals(req)) return List.of();
      throw Rejection.conflict("refundId " + req.refundId());
    }
    Map<String, Long> refundable = r.refundable();
    for (Line l : req.lines()) {
      if (l.amount() > refundable.getOrDefault(l.category(), 0L)) {
        throw new Rejection(
            Rejection.REFUND_EXCEEDS_COMMITTED, 409,
            "refund of " + l.amount() + " " + l.category() + " exceeds what is committed and not yet refunded",
            Map.of("refundable", new TreeMap<>(refundable)));
      }
    }
    // Net committed per draw (committed minus refunded), walked in reverse.
    Map<String, Long> refundedByGrant = new LinkedHashMap<>();
    for (Draw d : r.refunded()) refundedByGrant.merge(d.grantId() + "\u0000" + d.category(), d.amount(), Long::sum);
    List<Draw> refunded = new ArrayList<>();
    Map<String, Long> want = new LinkedHashMap<>();
    for (Line l : req.lines()) want.put(l.category(), l.amount());
    List<Draw> committed = r.committed();
    for (int i = committed.size() - 1; i >= 0; i--) {
      Draw d = committed.get(i);
      String key = d.grantId() + "\u0000" + d.category();
      long alreadyBack = refundedByGrant.getOrDefault(key, 0L);
      long net = d.amount() - alreadyBack;
      refundedByGrant.put(key, Math.max(0, alreadyBack - d.amount()));
      long take = Math.min(net, want.getOrDefault(d.category(), 0L));
      if (take <= 0) continue;
      refunded.add(d.withAmount(take));
      want.merge(d.category(), -take, Long::sum);
    }
    List<Draw> expiredOnRefund = new ArrayList<>();
    List<Grant> credited = new ArrayList<>();
    long seq = s.grantSeq();
    for (Draw d : refunded) {
      if (d.fromOverdraft()) {
        long excess = d.amount() - Math.min(d.amount(), s.totals(d.category()).overdraftDebt());
        if (excess > 0) {
          // One per category: a refund may return overdraft credits of several categories.
          String id = "~refund:" + reservationId + ":" + req.refundId() + ":" + d.category();
          credited.add(new Grant(id, d.category(), GrantSource.ADJUSTMENT, excess, excess, 0, null, now, ++seq, false, null));
        }
      } else if (!d.fromUnlimited() && s.grant(d.grantId()).map(Grant::expired).orElse(true)) {
        expiredOnRefund.add(d);
      }
    }
    return thenRebalance(s, List.of(new CreditsRefunded(now, reservationId, req, List.copyOf(refunded), List.copyOf(expiredOnRefund), List.copyOf(credited), Map.of())), now);
  }

  // ---- checks -------------------------------------------------------------------------------

  static Rejection statusRejection(WalletStatus status) {
    return switch (status) {
      case SUSPENDED -> new Rejection(Rejection.WALLET_SUSPENDED, 403, "the wallet is suspended", Map.of());
      case TRIAL_EXPIRED -> new Rejection(
          Rejection.TRIAL_EXPIRED, 403, "the trial has ended; subscribe to a plan to spend again", Map.of());
      default -> throw new IllegalArgumentException(status.name());
    };
  }

  private static void requireLines(List<Line> lines, WalletState s) {
    if (lines == null || lines.isEmpty()) throw Rejection.invalid("lines", "must have at least one line");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      String f = "lines[" + i + "]";
      Validation.requireCategory(f + ".category", l.category());
      Validation.requireAmount(f + ".amount", l.amount());
      if (!seen.add(l.category())) throw Rejection.invalid(f + ".category", "appears twice");
      if (!s.knowsCategory(l.category())) throw Rejection.invalid(f + ".category", "is not a category of this wallet");
    }
  }

  private static void requireCategoryAmounts(String field, Map<String, Long> map, boolean zeroAllowed) {
    if (map == null) return;
    map.forEach((c, v) -> {
      Validation.requireCategory(field + "." + c, c);
      if (v == null || v < (zeroAllowed ? 0 : 1) || v > Validation.MAX_AMOUNT) {
        throw Rejection.invalid(field + "." + c, "must be an integer from 0 to 10^12");
      }
    });
  }
}
