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
 * The wallet's events: its journal, which is also its ledger. This is a versioned schema, not a
 * view of the domain: events carry flat fields only (ids, categories, amounts, instants, enums,
 * and the two value tuples {@link Line} and {@link Draw}, which are part of the schema), never
 * domain records such as {@code Grant}, {@code Plan} or {@code ReserveRequest}, so the domain can
 * change without changing what is on disk. The fold ({@link WalletState#apply}) rebuilds domain
 * objects from these fields. Type names are stable journal ids; fields may be added (old events
 * read them as null), never renamed or removed. {@code src/test/resources/journal-samples/}
 * holds one serialized sample of every event of each schema version, and a test reads them all.
 *
 * <p>Each event carries {@code balances}: the available balance of every category it touched,
 * right after it (stamped once, by {@link Decision#emit}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = WalletEvent.WalletConfigured.class, name = "WalletConfigured"),
  @JsonSubTypes.Type(value = WalletEvent.GrantIssued.class, name = "GrantIssued"),
  @JsonSubTypes.Type(value = WalletEvent.GrantExpired.class, name = "GrantExpired"),
  @JsonSubTypes.Type(value = WalletEvent.GrantsForgotten.class, name = "GrantsForgotten"),
  @JsonSubTypes.Type(value = WalletEvent.CreditsReserved.class, name = "CreditsReserved"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationCommitted.class, name = "ReservationCommitted"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationReleased.class, name = "ReservationReleased"),
  @JsonSubTypes.Type(value = WalletEvent.CreditsRefunded.class, name = "CreditsRefunded"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationsArchived.class, name = "ReservationsArchived"),
  @JsonSubTypes.Type(value = WalletEvent.ReservationRestored.class, name = "ReservationRestored"),
  @JsonSubTypes.Type(value = WalletEvent.PlanSubscribed.class, name = "PlanSubscribed"),
  @JsonSubTypes.Type(value = WalletEvent.CycleReset.class, name = "CycleReset"),
  @JsonSubTypes.Type(value = WalletEvent.TrialEnded.class, name = "TrialEnded"),
  @JsonSubTypes.Type(value = WalletEvent.SubBudgetConfigured.class, name = "SubBudgetConfigured"),
  @JsonSubTypes.Type(value = WalletEvent.AllocationsReduced.class, name = "AllocationsReduced")
})
public sealed interface WalletEvent extends CborSerializable {
  /** The schema version this code writes; samples of every version live in the tests. */
  int SCHEMA_VERSION = 1;

  Instant at();

  /** Available balance per touched category after this event (stamped by the decision). */
  Map<String, Long> balances();

  /** The categories whose balance this event changes. */
  Set<String> categories();

  WalletEvent withBalances(Map<String, Long> balances);

  private static Set<String> categoriesOf(List<Draw> draws) {
    Set<String> out = new TreeSet<>();
    for (Draw d : draws) out.add(d.category());
    return out;
  }

  private static Map<String, Long> sorted(Map<String, Long> b) {
    return b == null ? Map.of() : new TreeMap<>(b);
  }

  /** The wallet was created (first) or its settings changed. */
  record WalletConfigured(
      Instant at,
      String timeZone,
      ConsumptionOrder consumptionOrder,
      Map<String, Long> lowBalanceThresholds,
      Map<String, Long> overdraft,
      Map<String, Long> balances)
      implements WalletEvent {
    public static WalletConfigured of(Instant at, WalletSettings s) {
      return new WalletConfigured(at, s.timeZone(), s.consumptionOrder(), s.lowBalanceThresholds(), s.overdraft(), Map.of());
    }

    public WalletSettings toSettings() {
      return new WalletSettings(timeZone, consumptionOrder, lowBalanceThresholds, overdraft);
    }

    public Set<String> categories() {
      return Set.of();
    }

    public WalletConfigured withBalances(Map<String, Long> b) {
      return new WalletConfigured(at, timeZone, consumptionOrder, lowBalanceThresholds, overdraft, sorted(b));
    }
  }

  /**
   * Credits were granted. {@code repaidOverdraft} of them went straight to paying back committed
   * overdraft; {@code extendedGrantIds} are older PACKAGE grants moved to this grant's expiry.
   * {@code fingerprint}: the client's request in canonical form (null for system grants), so a
   * retry with the same grantId can be told from a different request reusing it.
   */
  record GrantIssued(
      Instant at,
      String grantId,
      String category,
      GrantSource source,
      long amount,
      int priority,
      Instant expiresAt,
      long issueSeq,
      long repaidOverdraft,
      List<String> extendedGrantIds,
      String fingerprint,
      Map<String, Long> balances)
      implements WalletEvent {
    public Grant toGrant() {
      return new Grant(grantId, category, source, amount, amount - repaidOverdraft, priority, expiresAt, at,
          issueSeq, false, fingerprint, at);
    }

    public Set<String> categories() {
      return Set.of(category);
    }

    public GrantIssued withBalances(Map<String, Long> b) {
      return new GrantIssued(at, grantId, category, source, amount, priority, expiresAt, issueSeq, repaidOverdraft,
          extendedGrantIds, fingerprint, sorted(b));
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
      return new GrantExpired(at, grantId, category, amount, sorted(b));
    }
  }

  /**
   * Exhausted or expired grants that nothing can flow back into any more (no open hold pins
   * them, and every reservation that drew from them is past its retention) left the wallet.
   */
  record GrantsForgotten(Instant at, List<String> grantIds, Map<String, Long> balances) implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public GrantsForgotten withBalances(Map<String, Long> b) {
      return new GrantsForgotten(at, grantIds, sorted(b));
    }
  }

  /**
   * Credits were put on hold (also the first half of a debit). {@code quantity}: the units of
   * the operation form actually reserved (less than asked with allowPartial); null for lines.
   * The {@code requested*}, {@code operation} ... {@code reference} fields are the request as
   * asked (defaults applied), kept for idempotent retries.
   */
  record CreditsReserved(
      Instant at,
      String reservationId,
      ReservationKind kind,
      List<Line> lines,
      List<Draw> draws,
      Instant expiresAt,
      Long quantity,
      List<Line> requestedLines,
      String operation,
      Long requestedQuantity,
      String sender,
      String subBudget,
      long ttlSeconds,
      boolean allowPartial,
      String reference,
      Map<String, Long> balances)
      implements WalletEvent {
    public static CreditsReserved of(
        Instant at, ReservationKind kind, ReserveRequest r, List<Line> lines, List<Draw> draws, Instant expiresAt,
        Long quantity) {
      return new CreditsReserved(at, r.id(), kind, lines, draws, expiresAt, quantity, r.lines(), r.operation(),
          r.quantity(), r.sender(), r.subBudget(), r.ttlSeconds(), r.allowPartial(), r.reference(), Map.of());
    }

    public ReserveRequest toRequest() {
      // Usually the lines taken are the lines asked for: the held reservation then keeps one list, not two equal ones.
      List<Line> asked = lines != null && lines.equals(requestedLines) ? lines : requestedLines;
      return new ReserveRequest(reservationId, asked, operation, requestedQuantity, sender, subBudget,
          ttlSeconds, allowPartial, reference);
    }

    public Set<String> categories() {
      return categoriesOf(draws);
    }

    public CreditsReserved withBalances(Map<String, Long> b) {
      return new CreditsReserved(at, reservationId, kind, lines, draws, expiresAt, quantity, requestedLines,
          operation, requestedQuantity, sender, subBudget, ttlSeconds, allowPartial, reference, sorted(b));
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
      return new ReservationCommitted(at, reservationId, committed, released, expiredOnRelease, sorted(b));
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
      return new ReservationReleased(at, reservationId, ttlExpired, released, expiredOnRelease, sorted(b));
    }
  }

  /**
   * Committed credits came back to their grants. {@code expiredOnRefund} went to grants already
   * expired (or forgotten) and expire at once; {@code creditedGrants} (at most one per category,
   * as grantId, category, amount) hold overdraft refunds beyond the outstanding debt (the debt was
   * repaid by a later grant, so the credits are the customer's).
   */
  record CreditsRefunded(
      Instant at,
      String reservationId,
      String refundId,
      List<Line> lines,
      String reason,
      List<Draw> refunded,
      List<Draw> expiredOnRefund,
      List<Draw> creditedGrants,
      Map<String, Long> balances)
      implements WalletEvent {
    public RefundRequest toRequest() {
      return new RefundRequest(refundId, lines, reason);
    }

    public Set<String> categories() {
      return categoriesOf(refunded);
    }

    public CreditsRefunded withBalances(Map<String, Long> b) {
      return new CreditsRefunded(at, reservationId, refundId, lines, reason, refunded, expiredOnRefund,
          creditedGrants, sorted(b));
    }
  }

  /**
   * Finished reservations were written to the durable archive and left the wallet's memory.
   * {@code revisions}: the revision archived per reservation; one changed since (a refund while
   * the write was in flight) stays, to be archived again.
   */
  record ReservationsArchived(Instant at, Map<String, Integer> revisions, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public ReservationsArchived withBalances(Map<String, Long> b) {
      return new ReservationsArchived(at, revisions, sorted(b));
    }
  }

  /** An archived reservation came back into memory, to be refunded (it is archived again later). */
  record ReservationRestored(Instant at, ReservationRecord reservation, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public ReservationRestored withBalances(Map<String, Long> b) {
      return new ReservationRestored(at, reservation, sorted(b));
    }
  }

  /**
   * The wallet subscribed to a plan (or changed plan): a cycle starts now. The plan is copied in
   * flat (a later edit of the plan never changes a running cycle). The old cycle's PLAN grants
   * expire just before (GrantExpired), the new ones follow (GrantIssued).
   */
  record PlanSubscribed(
      Instant at,
      String planId,
      Map<String, Long> allowances,
      List<String> unlimited,
      String cycle,
      Map<String, Long> rollover,
      String trialDuration,
      Map<String, Long> trialCredits,
      Map<String, Boolean> features,
      long cycleNumber,
      Instant cycleStart,
      Instant cycleEnd,
      Instant trialEndsAt,
      Map<String, Long> balances)
      implements WalletEvent {
    public static PlanSubscribed of(
        Instant at, Plan p, long cycleNumber, Instant cycleStart, Instant cycleEnd, Instant trialEndsAt) {
      return new PlanSubscribed(at, p.planId(), p.allowances(), p.unlimited(), p.cycle(), p.rollover(),
          p.trial() == null ? null : p.trial().duration(), p.trial() == null ? null : p.trial().credits(),
          p.features(), cycleNumber, cycleStart, cycleEnd, trialEndsAt, Map.of());
    }

    public Plan toPlan() {
      Plan.Trial trial = trialDuration == null ? null : new Plan.Trial(trialDuration, trialCredits);
      return new Plan(planId, allowances, unlimited, cycle, rollover, trial, features);
    }

    public Set<String> categories() {
      return Set.of();
    }

    public PlanSubscribed withBalances(Map<String, Long> b) {
      return new PlanSubscribed(at, planId, allowances, unlimited, cycle, rollover, trialDuration, trialCredits,
          features, cycleNumber, cycleStart, cycleEnd, trialEndsAt, sorted(b));
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
      return new CycleReset(at, cycleNumber, cycleStart, cycleEnd, sorted(b));
    }
  }

  /** The trial is over: no new spending until a paid plan is subscribed (seed 004). */
  record TrialEnded(Instant at, Map<String, Long> balances) implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public TrialEnded withBalances(Map<String, Long> b) {
      return new TrialEnded(at, sorted(b));
    }
  }

  /** A sub-budget was created or its allocation set (empty: spends from the unassigned pool). */
  record SubBudgetConfigured(Instant at, String subBudget, Map<String, Long> allocated, Map<String, Long> balances)
      implements WalletEvent {
    public Set<String> categories() {
      return Set.of();
    }

    public SubBudgetConfigured withBalances(Map<String, Long> b) {
      return new SubBudgetConfigured(at, subBudget, allocated, sorted(b));
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
      return new AllocationsReduced(at, category, cuts, sorted(b));
    }
  }
}
