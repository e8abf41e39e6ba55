package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.LargeCborSerializable;
import com.creditwallet.wallet.domain.WalletEvent.AllocationsReduced;
import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import com.creditwallet.wallet.domain.WalletEvent.CycleReset;
import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.GrantsForgotten;
import com.creditwallet.wallet.domain.WalletEvent.PlanSubscribed;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.ReservationRestored;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsArchived;
import com.creditwallet.wallet.domain.WalletEvent.SubBudgetConfigured;
import com.creditwallet.wallet.domain.WalletEvent.TrialEnded;
import com.creditwallet.wallet.domain.WalletEvent.WalletConfigured;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * One wallet, immutable, bounded by what is open: open holds, live (or recently spent) grants,
 * sub-budgets, the plan, and a short recent window of finished reservations; everything older is
 * in the archive. {@link #apply} is the only way to a new state, so replaying the journal always
 * rebuilds exactly what was decided. Persistent maps share structure between versions: an event
 * costs O(log n), not a copy of every held reservation. Updates are named ({@link Next}), not
 * positional.
 */
public final class WalletState implements LargeCborSerializable {
  private final boolean exists;
  private final int settingsVersion;
  private final WalletSettings settings;
  private final WalletStatus status;
  private final PMap<String, Grant> grants;
  /**
   * A sorted tree rather than a hash trie: 40 bytes per entry instead of about 96, which is a
   * tenth of an open hold's footprint. Lookups compare ids, O(log n) as before.
   */
  private final PMap<String, Reservation> reservations;
  private final PMap<String, CategoryTotals> totals;
  private final long grantSeq;
  private final Subscription subscription;
  private final boolean trialUsed;
  private final PMap<String, SubBudget> subBudgets;
  private final long archivedTotal;
  // Derived indexes, rebuilt by the JSON constructor: never serialized (Pekko's Jackson sees
  // every field, and a PSortedSet cannot be deserialized, so snapshots would not load).
  /** Hold TTLs, grant expiries, cycle and trial ends. */
  @JsonIgnore private final PSortedSet<Deadline> deadlines;
  /** Finished reservations by the instant they finished: the archive's queue. */
  @JsonIgnore private final PSortedSet<Deadline> settled;
  /** Spent (exhausted or expired) grants by the instant they were last touched. */
  @JsonIgnore private final PSortedSet<Deadline> spent;
  @JsonIgnore private final int openHolds;
  /**
   * {@link #firstDeadline()}, worked out once per state (null: not yet). A state never changes,
   * and the wallet asks twice per write (the timer after it, the due deadlines before the next
   * one): over many wallets each ask is a lookup in a tree that is no longer in the CPU's cache,
   * 7% of the node's CPU in bench b (docs/performance.md, "A first deadline worked out once").
   * {@link #deadlineAfter} from the start answers from it too. A reservation, a commit and a
   * release carry it over from the state before ({@link #firstWithNewHold}, {@link
   * #firstWithoutHold}), so steady traffic looks it up only when the first hold itself settles.
   * Racy but safe: any thread that computes it gets the same immutable answer.
   */
  @JsonIgnore private Optional<Deadline> first;

  public static final WalletState EMPTY = new WalletState(
      false, 0, WalletSettings.DEFAULTS, WalletStatus.ACTIVE, Map.of(), Map.of(), Map.of(), 0, null, false, Map.of(), 0);

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
      @JsonProperty("subBudgets") Map<String, SubBudget> subBudgets,
      @JsonProperty("archivedTotal") long archivedTotal) {
    this.exists = exists;
    this.settingsVersion = settingsVersion;
    this.settings = settings;
    this.status = status;
    this.grants = HashTreePMap.from(grants);
    // Keyed by each reservation's own id instance: the map's key, as read from a snapshot, is a copy.
    PMap<String, Reservation> byId = TreePMap.empty();
    for (Reservation r : reservations.values()) byId = byId.plus(r.reservationId(), r);
    this.reservations = byId;
    this.totals = HashTreePMap.from(totals);
    this.grantSeq = grantSeq;
    this.subscription = subscription;
    this.trialUsed = trialUsed;
    this.subBudgets = HashTreePMap.from(subBudgets == null ? Map.of() : subBudgets);
    this.archivedTotal = archivedTotal;
    PSortedSet<Deadline> d = withPlanDeadlines(TreePSet.empty(), null, subscription);
    PSortedSet<Deadline> sp = TreePSet.empty();
    for (Grant g : this.grants.values()) {
      d = withGrantDeadline(d, null, g);
      sp = withSpentIndex(sp, null, g);
    }
    PSortedSet<Deadline> s = TreePSet.empty();
    int open = 0;
    for (Reservation r : this.reservations.values()) {
      if (!r.held()) s = s.plus(settledDeadline(r));
      else {
        open++;
        if (r.expiresAt() != null) d = d.plus(holdDeadline(r));
      }
    }
    this.deadlines = d;
    this.settled = s;
    this.spent = sp;
    this.openHolds = open;
  }

  private WalletState(Next n) {
    this.exists = n.exists;
    this.settingsVersion = n.settingsVersion;
    this.settings = n.settings;
    this.status = n.status;
    this.grants = n.grants;
    this.reservations = n.reservations;
    this.totals = n.totals;
    this.grantSeq = n.grantSeq;
    this.subscription = n.subscription;
    this.trialUsed = n.trialUsed;
    this.subBudgets = n.subBudgets;
    this.archivedTotal = n.archivedTotal;
    this.deadlines = n.deadlines;
    this.settled = n.settled;
    this.spent = n.spent;
    this.openHolds = n.openHolds;
  }

  /** A named update: copy, change the fields that change, {@link #done()}. */
  private static final class Next {
    boolean exists;
    int settingsVersion;
    WalletSettings settings;
    WalletStatus status;
    PMap<String, Grant> grants;
    PMap<String, Reservation> reservations;
    PMap<String, CategoryTotals> totals;
    long grantSeq;
    Subscription subscription;
    boolean trialUsed;
    PMap<String, SubBudget> subBudgets;
    long archivedTotal;
    PSortedSet<Deadline> deadlines;
    PSortedSet<Deadline> settled;
    PSortedSet<Deadline> spent;
    int openHolds;

    Next(WalletState s) {
      exists = s.exists;
      settingsVersion = s.settingsVersion;
      settings = s.settings;
      status = s.status;
      grants = s.grants;
      reservations = s.reservations;
      totals = s.totals;
      grantSeq = s.grantSeq;
      subscription = s.subscription;
      trialUsed = s.trialUsed;
      subBudgets = s.subBudgets;
      archivedTotal = s.archivedTotal;
      deadlines = s.deadlines;
      settled = s.settled;
      spent = s.spent;
      openHolds = s.openHolds;
    }

    WalletState done() {
      return new WalletState(this);
    }
  }

  private Next next() {
    return new Next(this);
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

  /** Open holds and recently finished reservations; older ones are in the archive. */
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

  /** How many reservations ever moved to the archive (0: no archive lookup can find anything). */
  @JsonProperty("archivedTotal")
  public long archivedTotal() {
    return archivedTotal;
  }

  public int openHolds() {
    return openHolds;
  }

  /**
   * A snapshot's size in CBOR, from what it holds: a one-credit hold takes about 400 bytes
   * (WalletCborSerializer sizes its buffer from this), a grant, a category's totals or a
   * sub-budget a few hundred.
   */
  @Override
  @JsonIgnore
  public long estimatedCborBytes() {
    return 1024 + 420L * reservations.size() + 320L * (grants.size() + totals.size() + subBudgets.size());
  }

  /** Finished reservations still in memory (the recent window). */
  public int recentCount() {
    return settled.size();
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

  /** The reservation if it is in memory (open, or finished within the recent window). */
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

  /**
   * The earliest instant at which the wallet has something to do by itself: a deadline, a
   * finished reservation to archive, or a spent grant to forget.
   */
  public Optional<Instant> nextDeadline(WalletPolicy policy) {
    return earliest(ruleDeadline(policy), archiveDeadline(policy));
  }

  /** The earlier of two deadlines, either of which may be absent. */
  public static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return b.get().isBefore(a.get()) ? b : a;
  }

  /** The earliest instant at which a rule acts: a deadline, or a spent grant to forget. */
  public Optional<Instant> ruleDeadline(WalletPolicy policy) {
    Instant next = firstDeadline().map(Deadline::at).orElse(null);
    if (!spent.isEmpty()) next = earlier(next, spent.first().at().plus(policy.forgetGrantsAfter()));
    return Optional.ofNullable(next);
  }

  /** When the oldest finished reservation in memory leaves the recent window (empty: none). */
  public Optional<Instant> archiveDeadline(WalletPolicy policy) {
    return settled.isEmpty() ? Optional.empty() : Optional.of(settled.first().at().plus(policy.recentWindow()));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  /** The earliest deadline that still has something to do. */
  @JsonIgnore
  Optional<Deadline> firstDeadline() {
    Optional<Deadline> f = first;
    if (f == null) first = f = liveFrom(deadlines.isEmpty() ? null : deadlines.first());
    return f;
  }

  /**
   * The earliest deadline after {@code cursor} (null: from the start) that still has something to
   * do. The index is derived from the state and so should hold nothing else; a stale entry (its
   * hold settled, its grant expired or gone, its expiry or cycle end moved) is skipped rather than
   * trusted, so it can never be applied twice, nor keep the deadline loop or the timer spinning.
   */
  @JsonIgnore
  Optional<Deadline> deadlineAfter(Deadline cursor) {
    return cursor == null ? firstDeadline() : liveFrom(deadlines.higher(cursor));
  }

  /** The first live deadline from {@code start} (inclusive) on, in order. */
  private Optional<Deadline> liveFrom(Deadline start) {
    for (Deadline d = start; d != null; d = deadlines.higher(d)) {
      if (isLive(d)) return Optional.of(d);
    }
    return Optional.empty();
  }

  private boolean isLive(Deadline d) {
    return switch (d.kind()) {
      case HOLD -> {
        Reservation r = reservations.get(d.id());
        yield r != null && r.held() && d.at().equals(r.expiresAt());
      }
      case GRANT -> {
        Grant g = grants.get(d.id());
        yield g != null && !g.expired() && d.at().equals(g.expiresAt());
      }
      case CYCLE -> subscription != null && d.at().equals(subscription.cycleEnd());
      case TRIAL -> subscription != null && d.at().equals(subscription.pendingTrialEnd());
      default -> false;
    };
  }

  /**
   * The finished reservations due for the archive, oldest first, at most {@code limit}: those
   * past the recent window, and the oldest beyond {@code recentMax}.
   */
  public List<Reservation> archivable(Instant now, WalletPolicy policy, int limit) {
    List<Reservation> out = new ArrayList<>();
    int overflow = settled.size() - policy.recentMax();
    Instant cutoff = now.minus(policy.recentWindow());
    for (Deadline d : settled) {
      if (out.size() >= limit) break;
      if (d.at().isAfter(cutoff) && out.size() >= overflow) break;
      out.add(reservations.get(d.id()));
    }
    return out;
  }

  /** Spent grants not touched since {@code cutoff} that no open hold pins. */
  List<String> forgettable(Instant cutoff) {
    List<String> candidates = new ArrayList<>();
    for (Deadline d : spent) {
      if (d.at().isAfter(cutoff)) break;
      candidates.add(d.id());
    }
    if (candidates.isEmpty()) return candidates;
    java.util.Set<String> pinned = new java.util.HashSet<>();
    for (Reservation r : reservations.values()) {
      if (r.held()) for (Draw dr : r.draws()) pinned.add(dr.grantId());
    }
    candidates.removeIf(pinned::contains);
    return candidates;
  }

  // ---- changing -----------------------------------------------------------------------------

  public WalletState apply(WalletEvent event) {
    if (event instanceof WalletConfigured e) {
      Next n = next();
      n.exists = true;
      n.settingsVersion = settingsVersion + 1;
      n.settings = e.toSettings();
      return n.done();
    } else if (event instanceof GrantIssued e) {
      return applyGrantIssued(e);
    } else if (event instanceof GrantExpired e) {
      Grant g = grants.get(e.grantId());
      return withGrant(g, g.markExpired(e.at()))
          .withTotals(e.category(), totals(e.category()).plus(0, 0, 0, 0, e.amount(), 0, 0));
    } else if (event instanceof GrantsForgotten e) {
      Next n = next();
      for (String id : e.grantIds()) {
        Grant g = n.grants.get(id);
        if (g == null) continue;
        n.grants = n.grants.minus(id);
        n.deadlines = withGrantDeadline(n.deadlines, g, null);
        n.spent = withSpentIndex(n.spent, g, null);
      }
      return n.done();
    } else if (event instanceof CreditsReserved e) {
      return applyReserved(e);
    } else if (event instanceof ReservationCommitted e) {
      return applyCommitted(e);
    } else if (event instanceof ReservationReleased e) {
      Reservation r = reservations.get(e.reservationId());
      ReservationStatus st = e.ttlExpired() ? ReservationStatus.EXPIRED : ReservationStatus.RELEASED;
      WalletState after = returnHeld(e.released(), e.expiredOnRelease(), e.at())
          .onSubBudget(r.request().subBudget(), Draws.lines(r.draws()), -1, 0)
          .withReservation(r, r.settle(st, List.of(), e.at()));
      after.first = firstWithoutHold(first, r);
      return after;
    } else if (event instanceof CreditsRefunded e) {
      return applyRefunded(e);
    } else if (event instanceof ReservationsArchived e) {
      Next n = next();
      for (Map.Entry<String, Integer> a : e.revisions().entrySet()) {
        Reservation r = n.reservations.get(a.getKey());
        if (r == null || r.held() || r.revision() != a.getValue()) continue;
        n.reservations = n.reservations.minus(r.reservationId());
        n.settled = n.settled.minus(settledDeadline(r));
        n.archivedTotal++;
      }
      return n.done();
    } else if (event instanceof ReservationRestored e) {
      Reservation r = e.reservation().toReservation();
      return withReservation(reservations.get(r.reservationId()), r);
    } else if (event instanceof PlanSubscribed e) {
      Subscription sub = new Subscription(
          e.toPlan(), e.at(), e.cycleNumber(), 0, e.cycleStart(), e.cycleEnd(), e.trialEndsAt(), false);
      Next n = next();
      n.status = status == WalletStatus.SUSPENDED ? status
          : e.trialDuration() != null ? WalletStatus.TRIAL : WalletStatus.ACTIVE;
      n.subscription = sub;
      n.trialUsed = trialUsed || e.trialDuration() != null;
      n.deadlines = withPlanDeadlines(deadlines, subscription, sub);
      return n.done();
    } else if (event instanceof CycleReset e) {
      Subscription sub = subscription.nextCycle(e.cycleStart(), e.cycleEnd());
      Next n = next();
      n.subscription = sub;
      n.deadlines = withPlanDeadlines(deadlines, subscription, sub);
      return n.done();
    } else if (event instanceof TrialEnded e) {
      Subscription sub = subscription.endTrial();
      Next n = next();
      n.status = status == WalletStatus.SUSPENDED ? status : WalletStatus.TRIAL_EXPIRED;
      n.subscription = sub;
      n.deadlines = withPlanDeadlines(deadlines, subscription, sub);
      return n.done();
    } else if (event instanceof SubBudgetConfigured e) {
      SubBudget old = subBudgets.get(e.subBudget());
      SubBudget b = old == null ? SubBudget.create(e.subBudget(), e.allocated()) : old.withAllocated(e.allocated());
      return withSubBudget(b);
    } else if (event instanceof AllocationsReduced e) {
      WalletState s = this;
      for (Map.Entry<String, Long> cut : e.cuts().entrySet()) {
        s = s.withSubBudget(s.subBudgets.get(cut.getKey()).cut(e.category(), cut.getValue()));
      }
      return s;
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private WalletState applyGrantIssued(GrantIssued e) {
    Grant g = e.toGrant();
    // The rules never issue a grant under a key in use; a journal written before the id
    // namespaces were separate may. The indexes then follow the grant that replaced the other,
    // so no deadline of the lost one stays behind.
    WalletState s = withGrant(grants.get(g.grantId()), g);
    for (String id : e.extendedGrantIds()) {
      Grant old = s.grants.get(id);
      s = s.withGrant(old, old.withExpiresAt(g.expiresAt()));
    }
    CategoryTotals t = totals(g.category()).plus(g.amount(), 0, 0, 0, 0, 0, -e.repaidOverdraft());
    Next n = s.withTotals(g.category(), t).next();
    n.grantSeq = Math.max(grantSeq, g.issueSeq());
    return n.done();
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
        s = s.withGrant(g, g.withRemaining(g.remaining() - d.amount(), e.at()))
            .withTotals(d.category(), t.plus(0, 0, d.amount(), 0, 0, 0, 0));
      }
    }
    s = s.onSubBudget(e.subBudget(), e.lines(), 1, 0);
    Reservation r = new Reservation(
        e.reservationId(), e.kind(), e.toRequest(), ReservationStatus.HELD, e.lines(), e.draws(),
        List.of(), List.of(), Map.of(), e.at(), e.expiresAt(), null, e.quantity(), 0);
    WalletState after = s.withReservation(null, r);
    after.first = firstWithNewHold(first, r);
    return after;
  }

  /**
   * The first deadline once a new hold is added, from the one before ({@code null}: not worked
   * out, left to be worked out when asked). A reservation is the hot event and the wallet asks for
   * its first deadline after every write; without this each ask is a lookup of that deadline's
   * hold in the reservations tree, which over many wallets has left the CPU's cache
   * (docs/performance.md, "The first deadline carried across a reservation"). Exact, because a
   * reservation leaves every other deadline as live as it was: it only adds its own hold (a new
   * id) and changes its grants' remaining credits, never their expiry.
   */
  private static Optional<Deadline> firstWithNewHold(Optional<Deadline> before, Reservation r) {
    if (before == null || r.expiresAt() == null) return before;
    Deadline hold = holdDeadline(r);
    return before.isEmpty() || hold.compareTo(before.get()) < 0 ? Optional.of(hold) : before;
  }

  /**
   * The first deadline once hold {@code old} is committed or released: the one before, unless it
   * was this hold's own (then worked out again when asked). Exact for the same reason: settling a
   * hold returns or spends its grants' credits, never changes their expiry.
   */
  private static Optional<Deadline> firstWithoutHold(Optional<Deadline> before, Reservation old) {
    if (before == null || before.isEmpty() || !old.held() || old.expiresAt() == null) return before;
    return before.get().equals(holdDeadline(old)) ? null : before;
  }

  private WalletState applyCommitted(ReservationCommitted e) {
    Reservation r = reservations.get(e.reservationId());
    WalletState s = returnHeld(e.released(), e.expiredOnRelease(), e.at());
    for (Draw d : e.committed()) {
      long od = d.fromOverdraft() ? d.amount() : 0;
      s = s.withTotals(
          d.category(), s.totals(d.category()).plus(0, 0, -d.amount(), d.amount(), 0, -od, od));
      s = s.touch(d.grantId(), e.at());
    }
    s = s.onSubBudget(r.request().subBudget(), Draws.lines(r.draws()), -1, 0)
        .onSubBudget(r.request().subBudget(), Draws.lines(e.committed()), 0, 1);
    WalletState after = s.withReservation(r, r.settle(ReservationStatus.COMMITTED, e.committed(), e.at()));
    after.first = firstWithoutHold(first, r);
    return after;
  }

  /**
   * Takes draws out of "held": released ones go back to their grant (or the overdraft), those of
   * grants that expired meanwhile expire now.
   */
  private WalletState returnHeld(List<Draw> released, List<Draw> expiredNow, Instant at) {
    WalletState s = this;
    for (Draw d : released) {
      CategoryTotals t = s.totals(d.category());
      if (d.fromUnlimited()) {
        s = s.withTotals(d.category(), t.plus(0, 0, -d.amount(), 0, 0, 0, 0).plusMetered(-d.amount()));
      } else if (d.fromOverdraft()) {
        s = s.withTotals(d.category(), t.plus(0, 0, -d.amount(), 0, 0, -d.amount(), 0));
      } else {
        Grant g = s.grants.get(d.grantId());
        s = s.withGrant(g, g.withRemaining(g.remaining() + d.amount(), at))
            .withTotals(d.category(), t.plus(0, 0, -d.amount(), 0, 0, 0, 0));
      }
    }
    for (Draw d : expiredNow) {
      s = s.withTotals(
          d.category(), s.totals(d.category()).plus(0, 0, -d.amount(), 0, d.amount(), 0, 0));
      s = s.touch(d.grantId(), at);
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
        for (Draw g : e.creditedGrants()) if (g.category().equals(d.category())) credited += g.amount();
        long debtPaid = d.amount() - credited;
        s = s.withTotals(d.category(), t.plus(0, d.amount(), 0, 0, 0, 0, -debtPaid));
      } else {
        s = s.withTotals(d.category(), t.plus(0, d.amount(), 0, 0, 0, 0, 0));
        Grant g = s.grants.get(d.grantId());
        if (g != null && !g.expired()) s = s.withGrant(g, g.withRemaining(g.remaining() + d.amount(), e.at()));
        else s = s.touch(d.grantId(), e.at());
      }
    }
    for (Draw d : e.expiredOnRefund()) {
      s = s.withTotals(d.category(), s.totals(d.category()).plus(0, 0, 0, 0, d.amount(), 0, 0));
    }
    for (Draw c : e.creditedGrants()) {
      long seq = s.grantSeq + 1;
      Grant credited = new Grant(c.grantId(), c.category(), GrantSource.ADJUSTMENT, c.amount(), c.amount(), 0, null,
          e.at(), seq, false, null, e.at());
      Next n = s.withGrant(null, credited).next();
      n.grantSeq = seq;
      s = n.done();
    }
    s = s.onSubBudget(r.request().subBudget(), Draws.lines(e.refunded()), 0, -1);
    return s.withReservation(r, r.withRefund(e.toRequest(), e.refunded()));
  }

  /** Marks a grant as touched (a refund may flow back into it from now on); absent: nothing. */
  private WalletState touch(String grantId, Instant at) {
    Grant g = grants.get(grantId);
    return g == null ? this : withGrant(g, g.touched(at));
  }

  private WalletState withGrant(Grant old, Grant updated) {
    Next n = next();
    n.deadlines = withGrantDeadline(deadlines, old, updated);
    n.spent = withSpentIndex(spent, old, updated);
    n.grants = grants.plus(updated.grantId(), updated);
    return n.done();
  }

  private static PSortedSet<Deadline> withGrantDeadline(PSortedSet<Deadline> d, Grant old, Grant updated) {
    // Drawing from a grant or touching it keeps its deadline: removing and adding it back would
    // copy two paths of a tree that holds every open hold's deadline too, on every reservation.
    if (old != null && updated != null && old.expired() == updated.expired()
        && Objects.equals(old.expiresAt(), updated.expiresAt())) {
      return d;
    }
    if (old != null && old.expiresAt() != null) d = d.minus(new Deadline(old.expiresAt(), Deadline.Kind.GRANT, old.grantId()));
    if (updated != null && !updated.expired() && updated.expiresAt() != null) {
      d = d.plus(new Deadline(updated.expiresAt(), Deadline.Kind.GRANT, updated.grantId()));
    }
    return d;
  }

  private static PSortedSet<Deadline> withSpentIndex(PSortedSet<Deadline> sp, Grant old, Grant updated) {
    if (old != null && old.spent()) sp = sp.minus(spentDeadline(old));
    if (updated != null && updated.spent()) sp = sp.plus(spentDeadline(updated));
    return sp;
  }

  private WalletState withReservation(Reservation old, Reservation updated) {
    Next n = next();
    if (old != null) {
      if (!old.held()) n.settled = n.settled.minus(settledDeadline(old));
      else {
        n.openHolds--;
        if (old.expiresAt() != null) n.deadlines = n.deadlines.minus(holdDeadline(old));
      }
    }
    if (!updated.held()) n.settled = n.settled.plus(settledDeadline(updated));
    else {
      n.openHolds++;
      if (updated.expiresAt() != null) n.deadlines = n.deadlines.plus(holdDeadline(updated));
    }
    n.reservations = reservations.plus(updated.reservationId(), updated);
    return n.done();
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
    Next n = next();
    n.subBudgets = subBudgets.plus(b.name(), b);
    return n.done();
  }

  private WalletState withTotals(String category, CategoryTotals t) {
    Next n = next();
    n.totals = totals.plus(category, t);
    return n.done();
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

  private static Deadline spentDeadline(Grant g) {
    return new Deadline(g.touchedAt(), Deadline.Kind.SPENT, g.grantId());
  }
}
