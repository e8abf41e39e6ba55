package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The wallet's events, which are also its ledger: each one carries the amounts per grant, the
 * category, the reservation and reference it concerns, and {@code balances}: the available
 * balance of every category it touched, right after it. Type names are stable journal ids.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = WalletEvent.WalletConfigured.class, name = "WalletConfigured"),
  @JsonSubTypes.Type(value = WalletEvent.GrantIssued.class, name = "GrantIssued"),
  @JsonSubTypes.Type(value = WalletEvent.GrantExpired.class, name = "GrantExpired"),
  @JsonSubTypes.Type(value = WalletEvent.CreditsReserved.class, name = "CreditsReserved"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationCommitted.class, name = "ReservationCommitted"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationReleased.class, name = "ReservationReleased"),
  @JsonSubTypes.Type(value = WalletEvent.CreditsRefunded.class, name = "CreditsRefunded"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationsPruned.class, name = "ReservationsPruned"),
  @JsonSubTypes.Type(value = WalletEvent.PlanSubscribed.class, name = "PlanSubscribed"),
  @JsonSubTypes.Type(value = WalletEvent.CycleReset.class, name = "CycleReset"),
  @JsonSubTypes.Type(value = WalletEvent.TrialEnded.class, name = "TrialEnded"),
  @JsonSubTypes.Type(value = WalletEvent.SubBudgetConfigured.class, name = "SubBudgetConfigured"),
  @JsonSubTypes.Type(value = WalletEvent.AllocationsReduced.class, name = "AllocationsReduced")
})
public sealed interface WalletEvent extends CborSerializable {
  Instant at();

  /** Available balance per touched category after this event (filled in by the state). */
  Map<String, Long> balances();

  /** The categories whose balance this event changes. */
  Set<String> categories();

  WalletEvent withBalances(Map<String, Long> balances);

  private static Set<String> categoriesOf(List<Draw> draws) {
    Set<String> out = new TreeSet<>();
    for (Draw d : draws) out.add(d.category());
    return out;
  }

  /** The wallet was created (first) or its settings changed. */
  record WalletConfigured(Instant at, WalletSettings settings, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public WalletConfigured withBalances(Map<String, Long> b) {
      return new WalletConfigured(at, settings, new TreeMap<>(b));
    }
  }

  /**
   * Credits were granted. {@code repaidOverdraft} of them went straight to paying back committed
   * overdraft; {@code extendedGrantIds} are older PACKAGE grants moved to this grant's expiry.
   */
  record GrantIssued(
      Instant at,
      Grant grant,
      long repaidOverdraft,
      List<String> extendedGrantIds,
      Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of(grant.category());
    }

    public GrantIssued withBalances(Map<String, Long> b) {
      return new GrantIssued(at, grant, repaidOverdraft, extendedGrantIds, new TreeMap<>(b));
    }
  }

  /** A grant reached its expiry; {@code amount} unspent credits are gone (may be 0). */
  record GrantExpired(
      Instant at, String grantId, String category, long amount, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of(category);
    }

    public GrantExpired withBalances(Map<String, Long> b) {
      return new GrantExpired(at, grantId, category, amount, new TreeMap<>(b));
    }
  }

  /**
   * Credits were put on hold (also the first half of a debit). {@code quantity}: the units of
   * the operation form actually reserved (less than asked with allowPartial); null for lines.
   */
  record CreditsReserved(
      Instant at,
      String reservationId,
      ReservationKind kind,
      ReserveRequest request,
      List<Line> lines,
      List<Draw> draws,
      Instant expiresAt,
      Long quantity,
      Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return categoriesOf(draws);
    }

    public CreditsReserved withBalances(Map<String, Long> b) {
      return new CreditsReserved(
          at, reservationId, kind, request, lines, draws, expiresAt, quantity, new TreeMap<>(b));
    }
  }

  /**
   * A hold was committed, all or part. {@code released} went back to their grants;
   * {@code expiredOnRelease} belonged to grants that had expired meanwhile and expire now.
   */
  record ReservationCommitted(
      Instant at,
      String reservationId,
      List<Draw> committed,
      List<Draw> released,
      List<Draw> expiredOnRelease,
      Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      Set<String> out = categoriesOf(committed);
      out.addAll(categoriesOf(released));
      out.addAll(categoriesOf(expiredOnRelease));
      return out;
    }

    public ReservationCommitted withBalances(Map<String, Long> b) {
      return new ReservationCommitted(
          at, reservationId, committed, released, expiredOnRelease, new TreeMap<>(b));
    }
  }

  /** A hold was released by the client, or by its TTL ({@code ttlExpired}). */
  record ReservationReleased(
      Instant at,
      String reservationId,
      boolean ttlExpired,
      List<Draw> released,
      List<Draw> expiredOnRelease,
      Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      Set<String> out = categoriesOf(released);
      out.addAll(categoriesOf(expiredOnRelease));
      return out;
    }

    public ReservationReleased withBalances(Map<String, Long> b) {
      return new ReservationReleased(
          at, reservationId, ttlExpired, released, expiredOnRelease, new TreeMap<>(b));
    }
  }

  /**
   * Committed credits came back to their grants. {@code expiredOnRefund} went to grants already
   * expired and expire at once; {@code creditedGrants} (at most one per category) hold overdraft
   * refunds beyond the outstanding debt (the debt was repaid by a later grant, so the credits are
   * the customer's).
   */
  record CreditsRefunded(
      Instant at,
      String reservationId,
      RefundRequest request,
      List<Draw> refunded,
      List<Draw> expiredOnRefund,
      List<Grant> creditedGrants,
      Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return categoriesOf(refunded);
    }

    public CreditsRefunded withBalances(Map<String, Long> b) {
      return new CreditsRefunded(
          at, reservationId, request, refunded, expiredOnRefund, creditedGrants, new TreeMap<>(b));
    }
  }

  /** Finished reservations past their retention were dropped from the wallet's memory. */
  record ReservationsPruned(Instant at, List<String> reservationIds, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public ReservationsPruned withBalances(Map<String, Long> b) {
      return new ReservationsPruned(at, reservationIds, new TreeMap<>(b));
    }
  }

  /**
   * The wallet subscribed to a plan (or changed plan): a cycle starts now. The old cycle's PLAN
   * grants expire just before (GrantExpired), the new ones follow (GrantIssued).
   */
  record PlanSubscribed(
      Instant at,
      Plan plan,
      long cycleNumber,
      Instant cycleStart,
      Instant cycleEnd,
      Instant trialEndsAt,
      Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public PlanSubscribed withBalances(Map<String, Long> b) {
      return new PlanSubscribed(at, plan, cycleNumber, cycleStart, cycleEnd, trialEndsAt, new TreeMap<>(b));
    }
  }

  /**
   * A cycle ended and the next began (ledger RESET). Preceded by the expiry of the unused PLAN
   * credits and followed by the ROLLOVER and fresh PLAN grants.
   */
  record CycleReset(
      Instant at, long cycleNumber, Instant cycleStart, Instant cycleEnd, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public CycleReset withBalances(Map<String, Long> b) {
      return new CycleReset(at, cycleNumber, cycleStart, cycleEnd, new TreeMap<>(b));
    }
  }

  /** The trial is over: no new spending until a paid plan is subscribed (seed 004). */
  record TrialEnded(Instant at, Map<String, Long> balances) implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public TrialEnded withBalances(Map<String, Long> b) {
      return new TrialEnded(at, new TreeMap<>(b));
    }
  }

  /** A sub-budget was created or its allocation set (empty: spends from the unassigned pool). */
  record SubBudgetConfigured(Instant at, String subBudget, Map<String, Long> allocated, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public SubBudgetConfigured withBalances(Map<String, Long> b) {
      return new SubBudgetConfigured(at, subBudget, allocated, new TreeMap<>(b));
    }
  }

  /**
   * Expired credits exceeded the unassigned pool, so the rest was taken from the sub-budgets'
   * allocations in proportion to their unspent size ({@code cuts}: credits per sub-budget).
   */
  record AllocationsReduced(Instant at, String category, Map<String, Long> cuts, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of(category);
    }

    public AllocationsReduced withBalances(Map<String, Long> b) {
      return new AllocationsReduced(at, category, cuts, new TreeMap<>(b));
    }
  }
}
