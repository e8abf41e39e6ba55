package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsPruned;
import com.creditwallet.wallet.domain.WalletEvent.WalletConfigured;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePSet;

/**
 * One wallet, immutable. {@link #apply} is the only way to a new state, so replaying the journal
 * always rebuilds exactly what was decided. Persistent maps share structure between versions:
 * an event costs O(log n), not a copy of every held reservation.
 */
public final class WalletState implements CborSerializable {
  private final boolean exists;
  private final int settingsVersion;
  private final WalletSettings settings;
  private final WalletStatus status;
  private final PMap<String, Grant> grants;
  private final PMap<String, Reservation> reservations;
  private final PMap<String, CategoryTotals> totals;
  private final long grantSeq;
  private final Subscription subscription;
  private final boolean trialUsed;
  private final PMap<String, SubBudget> subBudgets;
  // Derived indexes, rebuilt by the constructor: never serialized (Pekko's Jackson sees every
  // field, and a PSortedSet cannot be deserialized, so snapshots would not load).
  @JsonIgnore private final PSortedSet<Deadline> deadlines;
  @JsonIgnore private final PSortedSet<Deadline> settled;

  public static final WalletState EMPTY =
      new WalletState(false, 0, WalletSettings.DEFAULTS, WalletStatus.ACTIVE, Map.of(), Map.of(), Map.of(), 0, null, false, Map.of());

  @JsonCreator
  public WalletState(
      @JsonProperty("exists") boolean exists,
      @JsonProperty("settingsVersion") int settingsVersion,
      @JsonProperty("settings") WalletSettings settings,
      @JsonProperty("status") WalletStatus status,
      @JsonProperty("grants") Map<String, Grant> grants,
      @JsonProperty("reservations") Map<String, Reservation> reservations,
      @JsonProperty("totals") Map<String, CategoryTotals> totals,
      @JsonProperty("grantSeq") long grantSeq,
      @JsonProperty("subscription") Subscription subscription,
      @JsonProperty("trialUsed") boolean trialUsed,
      @JsonProperty("subBudgets") Map<String, SubBudget> subBudgets) {
    this.exists = exists;
    this.settingsVersion = settingsVersion;
    this.settings = settings;
    this.status = status;
    this.grants = HashTreePMap.from(grants);
    this.reservations = HashTreePMap.from(reservations);
    this.totals = HashTreePMap.from(totals);
    this.grantSeq = grantSeq;
    this.subscription = subscription;
    this.trialUsed = trialUsed;
    this.subBudgets = HashTreePMap.from(subBudgets == null ? Map.of() : subBudgets);
    PSortedSet<Deadline> d = withPlanDeadlines(TreePSet.empty(), null, subscription);
    PSortedSet<Deadline> s = TreePSet.empty();
    for (Grant g : this.grants.values()) d = withGrantDeadline(d, g);
    for (Reservation r : this.reservations.values()) {
      if (r.status() != ReservationStatus.HELD) s = s.plus(settledDeadline(r));
      else if (r.expiresAt() != null) d = d.plus(holdDeadline(r));
    }
    this.deadlines = d;
    this.settled = s;
  }

  private WalletState(
      boolean exists,
      int settingsVersion,
      WalletSettings settings,
      WalletStatus status,
      PMap<String, Grant> grants,
      PMap<String, Reservation> reservations,
      PMap<String, CategoryTotals> totals,
      long grantSeq,
      Subscription subscription,
      boolean trialUsed,
      PMap<String, SubBudget> subBudgets,
      PSortedSet<Deadline> deadlines,
      PSortedSet<Deadline> settled) {
    this.exists = exists;
    this.settingsVersion = settingsVersion;
    this.settings = settings;
    this.status = status;
    this.grants = grants;
    this.reservations = reservations;
    this.totals = totals;
    this.grantSeq = grantSeq;
    this.subscription = subscription;
    this.trialUsed = trialUsed;
    this.subBudgets = subBudgets;
    this.deadlines = deadlines;
    this.settled = settled;
  }

  // ---- reading ------------------------------------------------------------------------------

  @JsonProperty("exists")
  public boolean exists() {
    return exists;
  }

  @JsonProperty("settingsVersion")
  public int settingsVersion() {
    return settingsVersion;
  }

  @JsonProperty("settings")
  public WalletSettings settings() {
    return settings;
  }

  @JsonProperty("status")
  public WalletStatus status() {
    return status;
  }

  @JsonProperty("grants")
  public Map<String, Grant> grants() {
    return grants;
  }

  @JsonProperty("reservations")
  public Map<String, Reservation> reservations() {
    return reservations;
  }

  @JsonProperty("totals")
  public Map<String, CategoryTotals> totals() {
    return totals;
  }

  @JsonProperty("grantSeq")
  public long grantSeq() {
    return grantSeq;
  }

  @JsonProperty("subscription")
  public Subscription subscription() {
    return subscription;
  }

  @JsonProperty("trialUsed")
  public boolean trialUsed() {
    return trialUsed;
  }

  @JsonProperty("subBudgets")
  public Map<String, SubBudget> subBudgets() {
    return subBudgets;
  }

  public Optional<SubBudget> subBudget(String name) {
    return Optional.ofNullable(name == null ? null : subBudgets.get(name));
  }

  /** Credits set aside for sub-budgets with an allocation in the category. */
  public long allocatedUnspent(String category) {
    long sum = 0;
    for (SubBudget b : subBudgets.values()) sum += b.unspent(category);
    return sum;
  }

  /** Real credits nobody has set aside: what the pool may draw from grants. */
  public long unassigned(String category) {
    return grantRemaining(category) - allocatedUnspent(category);
  }

  /**
   * The most a reservation of this sub-budget (null: none) may take in the category: its unspent
   * allocation if it has one there, else the unassigned pool plus the unused overdraft.
   */
  public long spendable(String category, String subBudget) {
    if (isUnlimited(category)) return Validation.MAX_AMOUNT * 1000;
    SubBudget b = subBudgets.get(subBudget == null ? "" : subBudget);
    if (b != null && b.allocates(category)) return Math.min(b.unspent(category), grantRemaining(category));
    CategoryTotals t = totals(category);
    return Math.max(0, unassigned(category))
        + settings.overdraftLimit(category) - t.overdraftHeld() - t.overdraftDebt();
  }

  /** How much of a reservation may come from grants; the pool must leave allocations alone. */
  public long grantCap(String category, String subBudget) {
    SubBudget b = subBudgets.get(subBudget == null ? "" : subBudget);
    if (b != null && b.allocates(category)) return Long.MAX_VALUE;
    return Math.max(0, unassigned(category));
  }

  /** Metered, never blocked: the current plan says so (seed 004's Platinum). */
  public boolean isUnlimited(String category) {
    return subscription != null && subscription.plan().isUnlimited(category);
  }

  public Optional<Grant> grant(String grantId) {
    return Optional.ofNullable(grants.get(grantId));
  }

  public Optional<Reservation> reservation(String reservationId) {
    return Optional.ofNullable(reservations.get(reservationId));
  }

  /** The reservation, or RESERVATION_NOT_FOUND. */
  public Reservation requireReservation(String reservationId) {
    Reservation r = reservations.get(reservationId);
    if (r == null) throw Rejection.reservationNotFound(reservationId);
    return r;
  }

  public CategoryTotals totals(String category) {
    return totals.getOrDefault(category, CategoryTotals.ZERO);
  }

  /** A category is known once credits were ever granted in it, it has an overdraft or the plan names it. */
  public boolean knowsCategory(String category) {
    return totals.containsKey(category) || settings.overdraftLimit(category) > 0
        || (subscription != null && subscription.plan().categories().contains(category));
  }

  /** Unspent credits of the category's live grants. */
  public long grantRemaining(String category) {
    long sum = 0;
    for (Grant g : grants.values()) {
      if (!g.expired() && g.category().equals(category)) sum += g.remaining();
    }
    return sum;
  }

  /** What the category can spend now; negative while overdraft is in use. */
  public long available(String category) {
    CategoryTotals t = totals(category);
    return grantRemaining(category) - t.overdraftHeld() - t.overdraftDebt();
  }

  /** What a reservation without sub-budget may take: the unassigned pool plus unused overdraft. */
  public long spendable(String category) {
    return spendable(category, null);
  }

  /** Live grants of a category in the wallet's consumption order. */
  public List<Grant> spendingOrder(String category) {
    List<Grant> out = new ArrayList<>();
    for (Grant g : grants.values()) {
      if (!g.expired() && g.remaining() > 0 && g.category().equals(category)) out.add(g);
    }
    out.sort(settings.consumptionOrder().comparator());
    return out;
  }

  /** The earliest instant at which {@link WalletRules#dueEvents} will have something to do. */
  public Optional<Instant> nextDeadline(Duration retention) {
    Instant next = deadlines.isEmpty() ? null : deadlines.first().at();
    if (!settled.isEmpty()) {
      Instant prune = settled.first().at().plus(retention);
      if (next == null || prune.isBefore(next)) next = prune;
    }
    return Optional.ofNullable(next);
  }

  @JsonIgnore
  Optional<Deadline> firstDeadline() {
    return deadlines.isEmpty() ? Optional.empty() : Optional.of(deadlines.first());
  }

  @JsonIgnore
  List<String> settledBefore(Instant cutoff) {
    List<String> out = new ArrayList<>();
    for (Deadline d : settled) {
      if (d.at().isAfter(cutoff)) break;
      out.add(d.id());
    }
    return out;
  }

  // ---- changing -----------------------------------------------------------------------------

  /** The result of applying drafted events: the events with their balances, and the state after. */
  public record Settled(List<WalletEvent> events, WalletState state) {}

  /** Applies drafted events one by one, stamping each with the balances right after it. */
  public Settled settle(List<WalletEvent> drafts) {
    WalletState s = this;
    List<WalletEvent> out = new ArrayList<>(drafts.size());
    for (WalletEvent draft : drafts) {
      s = s.apply(draft);
      Map<String, Long> balances = new TreeMap<>();
      for (String c : draft.categories()) balances.put(c, s.available(c));
      out.add(draft.withBalances(balances));
    }
    return new Settled(List.copyOf(out), s);
  }

  public WalletState apply(WalletEvent event) {
    if (event instanceof WalletConfigured e) {
      return new WalletState(
          true, settingsVersion + 1, e.settings(), status, grants, reservations, totals, grantSeq,
          subscription, trialUsed, subBudgets, deadlines, settled);
    } else if (event instanceof GrantIssued e) {
      return applyGrantIssued(e);
    } else if (event instanceof GrantExpired e) {
      Grant g = grants.get(e.grantId());
      return withGrant(g, g.markExpired())
          .withTotals(e.category(), totals(e.category()).plus(0, 0, 0, 0, e.amount(), 0, 0));
    } else if (event instanceof CreditsReserved e) {
      return applyReserved(e);
    } else if (event instanceof ReservationCommitted e) {
      return applyCommitted(e);
    } else if (event instanceof ReservationReleased e) {
      Reservation r = reservations.get(e.reservationId());
      ReservationStatus st = e.ttlExpired() ? ReservationStatus.EXPIRED : ReservationStatus.RELEASED;
      return returnHeld(e.released(), e.expiredOnRelease())
          .onSubBudget(r.request().subBudget(), Draws.lines(r.draws()), -1, 0)
          .withReservation(r, r.settle(st, List.of(), e.at()));
    } else if (event instanceof CreditsRefunded e) {
      return applyRefunded(e);
    } else if (event instanceof WalletEvent.PlanSubscribed e) {
      Subscription sub = new Subscription(
          e.plan(), e.at(), e.cycleNumber(), 0, e.cycleStart(), e.cycleEnd(), e.trialEndsAt(), false);
      WalletStatus st = status == WalletStatus.SUSPENDED ? status
          : e.plan().trial() != null ? WalletStatus.TRIAL : WalletStatus.ACTIVE;
      return new WalletState(
          exists, settingsVersion, settings, st, grants, reservations, totals, grantSeq, sub,
          trialUsed || e.plan().trial() != null, subBudgets, withPlanDeadlines(deadlines, subscription, sub), settled);
    } else if (event instanceof WalletEvent.CycleReset e) {
      Subscription sub = subscription.nextCycle(e.cycleStart(), e.cycleEnd());
      return new WalletState(
          exists, settingsVersion, settings, status, grants, reservations, totals, grantSeq, sub,
          trialUsed, subBudgets, withPlanDeadlines(deadlines, subscription, sub), settled);
    } else if (event instanceof WalletEvent.TrialEnded e) {
      Subscription sub = subscription.endTrial();
      WalletStatus st = status == WalletStatus.SUSPENDED ? status : WalletStatus.TRIAL_EXPIRED;
      return new WalletState(
          exists, settingsVersion, settings, st, grants, reservations, totals, grantSeq, sub,
          trialUsed, subBudgets, withPlanDeadlines(deadlines, subscription, sub), settled);
    } else if (event instanceof WalletEvent.SubBudgetConfigured e) {
      SubBudget old = subBudgets.get(e.subBudget());
      SubBudget b = old == null ? SubBudget.create(e.subBudget(), e.allocated()) : old.withAllocated(e.allocated());
      return withSubBudget(b);
    } else if (event instanceof WalletEvent.AllocationsReduced e) {
      WalletState s = this;
      for (Map.Entry<String, Long> cut : e.cuts().entrySet()) {
        s = s.withSubBudget(s.subBudgets.get(cut.getKey()).cut(e.category(), cut.getValue()));
      }
      return s;
    } else if (event instanceof ReservationsPruned e) {
      PMap<String, Reservation> rs = reservations;
      PSortedSet<Deadline> st = settled;
      for (String id : e.reservationIds()) {
        Reservation r = rs.get(id);
        if (r == null) continue;
        rs = rs.minus(id);
        st = st.minus(settledDeadline(r));
      }
      return new WalletState(
          exists, settingsVersion, settings, status, grants, rs, totals, grantSeq, subscription,
          trialUsed, subBudgets, deadlines, st);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private WalletState applyGrantIssued(GrantIssued e) {
    Grant g = e.grant();
    WalletState s = withGrant(null, g);
    for (String id : e.extendedGrantIds()) {
      Grant old = s.grants.get(id);
      s = s.withGrant(old, old.withExpiresAt(g.expiresAt()));
    }
    CategoryTotals t = totals(g.category()).plus(g.amount(), 0, 0, 0, 0, 0, -e.repaidOverdraft());
    s = s.withTotals(g.category(), t);
    return new WalletState(
        s.exists, s.settingsVersion, s.settings, s.status, s.grants, s.reservations, s.totals,
        Math.max(grantSeq, g.issueSeq()), s.subscription, s.trialUsed, s.subBudgets, s.deadlines, s.settled);
  }

  private WalletState applyReserved(CreditsReserved e) {
    WalletState s = this;
    for (Draw d : e.draws()) {
      CategoryTotals t = s.totals(d.category());
      if (d.fromUnlimited()) {
        s = s.withTotals(d.category(), t.plus(0, 0, d.amount(), 0, 0, 0, 0).plusMetered(d.amount()));
      } else if (d.fromOverdraft()) {
        s = s.withTotals(d.category(), t.plus(0, 0, d.amount(), 0, 0, d.amount(), 0));
      } else {
        Grant g = s.grants.get(d.grantId());
        s = s.withGrant(g, g.withRemaining(g.remaining() - d.amount()))
            .withTotals(d.category(), t.plus(0, 0, d.amount(), 0, 0, 0, 0));
      }
    }
    s = s.onSubBudget(e.request().subBudget(), e.lines(), 1, 0);
    Reservation r =
        new Reservation(
            e.reservationId(), e.kind(), e.request(), ReservationStatus.HELD, e.lines(), e.draws(),
            List.of(), List.of(), Map.of(), e.at(), e.expiresAt(), null, e.quantity());
    return s.withReservation(null, r);
  }

  private WalletState applyCommitted(ReservationCommitted e) {
    Reservation r = reservations.get(e.reservationId());
    WalletState s = returnHeld(e.released(), e.expiredOnRelease());
    for (Draw d : e.committed()) {
      long od = d.fromOverdraft() ? d.amount() : 0;
      s = s.withTotals(
          d.category(), s.totals(d.category()).plus(0, 0, -d.amount(), d.amount(), 0, -od, od));
    }
    s = s.onSubBudget(r.request().subBudget(), Draws.lines(r.draws()), -1, 0)
        .onSubBudget(r.request().subBudget(), Draws.lines(e.committed()), 0, 1);
    return s.withReservation(r, r.settle(ReservationStatus.COMMITTED, e.committed(), e.at()));
  }

  /**
   * Takes draws out of "held": released ones go back to their grant (or the overdraft), those of
   * grants that expired meanwhile expire now.
   */
  private WalletState returnHeld(List<Draw> released, List<Draw> expiredNow) {
    WalletState s = this;
    for (Draw d : released) {
      CategoryTotals t = s.totals(d.category());
      if (d.fromUnlimited()) {
        s = s.withTotals(d.category(), t.plus(0, 0, -d.amount(), 0, 0, 0, 0).plusMetered(-d.amount()));
      } else if (d.fromOverdraft()) {
        s = s.withTotals(d.category(), t.plus(0, 0, -d.amount(), 0, 0, -d.amount(), 0));
      } else {
        Grant g = s.grants.get(d.grantId());
        s = s.withGrant(g, g.withRemaining(g.remaining() + d.amount()))
            .withTotals(d.category(), t.plus(0, 0, -d.amount(), 0, 0, 0, 0));
      }
    }
    for (Draw d : expiredNow) {
      s = s.withTotals(
          d.category(), s.totals(d.category()).plus(0, 0, -d.amount(), 0, d.amount(), 0, 0));
    }
    return s;
  }

  private WalletState applyRefunded(CreditsRefunded e) {
    Reservation r = reservations.get(e.reservationId());
    WalletState s = this;
    for (Draw d : e.refunded()) {
      CategoryTotals t = s.totals(d.category());
      if (d.fromUnlimited()) {
        s = s.withTotals(d.category(), t.plus(0, d.amount(), 0, 0, 0, 0, 0).plusMetered(-d.amount()));
      } else if (d.fromOverdraft()) {
        // Only this category's credited grant: the rest of the refund paid this category's debt.
        long credited = 0;
        for (Grant g : e.creditedGrants()) if (g.category().equals(d.category())) credited += g.amount();
        long debtPaid = d.amount() - credited;
        s = s.withTotals(d.category(), t.plus(0, d.amount(), 0, 0, 0, 0, -debtPaid));
      } else {
        s = s.withTotals(d.category(), t.plus(0, d.amount(), 0, 0, 0, 0, 0));
        Grant g = s.grants.get(d.grantId());
        if (!g.expired()) s = s.withGrant(g, g.withRemaining(g.remaining() + d.amount()));
      }
    }
    for (Draw d : e.expiredOnRefund()) {
      s = s.withTotals(d.category(), s.totals(d.category()).plus(0, 0, 0, 0, d.amount(), 0, 0));
    }
    for (Grant credited : e.creditedGrants()) {
      s = s.withGrant(null, credited);
      s = new WalletState(
          s.exists, s.settingsVersion, s.settings, s.status, s.grants, s.reservations, s.totals,
          Math.max(s.grantSeq, credited.issueSeq()), s.subscription, s.trialUsed, s.subBudgets, s.deadlines,
          s.settled);
    }
    s = s.onSubBudget(r.request().subBudget(), Draws.lines(e.refunded()), 0, -1);
    return s.withReservation(r, r.withRefund(e.request(), e.refunded()));
  }

  private WalletState withGrant(Grant old, Grant updated) {
    PSortedSet<Deadline> d = deadlines;
    if (old != null && old.expiresAt() != null) d = d.minus(new Deadline(old.expiresAt(), Deadline.Kind.GRANT, old.grantId()));
    d = withGrantDeadline(d, updated);
    return new WalletState(
        exists, settingsVersion, settings, status, grants.plus(updated.grantId(), updated),
        reservations, totals, grantSeq, subscription, trialUsed, subBudgets, d, settled);
  }

  private static PSortedSet<Deadline> withGrantDeadline(PSortedSet<Deadline> d, Grant g) {
    if (g.expired() || g.expiresAt() == null) {
      return g.expiresAt() == null ? d : d.minus(new Deadline(g.expiresAt(), Deadline.Kind.GRANT, g.grantId()));
    }
    return d.plus(new Deadline(g.expiresAt(), Deadline.Kind.GRANT, g.grantId()));
  }

  private WalletState withReservation(Reservation old, Reservation updated) {
    PSortedSet<Deadline> d = deadlines;
    PSortedSet<Deadline> s = settled;
    if (old != null) {
      if (old.status() != ReservationStatus.HELD) s = s.minus(settledDeadline(old));
      else if (old.expiresAt() != null) d = d.minus(holdDeadline(old));
    }
    if (updated.status() != ReservationStatus.HELD) s = s.plus(settledDeadline(updated));
    else if (updated.expiresAt() != null) d = d.plus(holdDeadline(updated));
    return new WalletState(
        exists, settingsVersion, settings, status, grants,
        reservations.plus(updated.reservationId(), updated), totals, grantSeq, subscription,
        trialUsed, subBudgets, d, s);
  }

  /** Moves a reservation's lines in its sub-budget's held (x heldSign) and spent (x spentSign). */
  private WalletState onSubBudget(String name, List<Line> lines, int heldSign, int spentSign) {
    SubBudget b = name == null ? null : subBudgets.get(name);
    if (b == null) return this;
    for (Line l : lines) {
      if (heldSign != 0) b = b.plusHeld(l.category(), heldSign * l.amount());
      if (spentSign != 0) b = b.plusSpent(l.category(), spentSign * l.amount());
    }
    return withSubBudget(b);
  }

  private WalletState withSubBudget(SubBudget b) {
    return new WalletState(
        exists, settingsVersion, settings, status, grants, reservations, totals, grantSeq,
        subscription, trialUsed, subBudgets.plus(b.name(), b), deadlines, settled);
  }

  private WalletState withTotals(String category, CategoryTotals t) {
    return new WalletState(
        exists, settingsVersion, settings, status, grants, reservations, totals.plus(category, t),
        grantSeq, subscription, trialUsed, subBudgets, deadlines, settled);
  }

  /** Replaces the cycle and trial deadlines of {@code old} by those of {@code updated}. */
  private static PSortedSet<Deadline> withPlanDeadlines(
      PSortedSet<Deadline> d, Subscription old, Subscription updated) {
    if (old != null) {
      d = d.minus(new Deadline(old.cycleEnd(), Deadline.Kind.CYCLE, "cycle"));
      if (old.pendingTrialEnd() != null) d = d.minus(new Deadline(old.pendingTrialEnd(), Deadline.Kind.TRIAL, "trial"));
    }
    if (updated != null) {
      d = d.plus(new Deadline(updated.cycleEnd(), Deadline.Kind.CYCLE, "cycle"));
      if (updated.pendingTrialEnd() != null) d = d.plus(new Deadline(updated.pendingTrialEnd(), Deadline.Kind.TRIAL, "trial"));
    }
    return d;
  }

  private static Deadline holdDeadline(Reservation r) {
    return new Deadline(r.expiresAt(), Deadline.Kind.HOLD, r.reservationId());
  }

  private static Deadline settledDeadline(Reservation r) {
    return new Deadline(r.settledAt(), Deadline.Kind.SETTLED, r.reservationId());
  }
}
