package com.creditwallet.wallet;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.domain.CategoryTotals;
import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.Draws;
import com.creditwallet.wallet.domain.Grant;
import com.creditwallet.wallet.domain.GrantIds;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Reservation;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationStatus;
import com.creditwallet.wallet.domain.SubBudget;
import com.creditwallet.wallet.domain.Subscription;
import com.creditwallet.wallet.domain.WalletState;
import com.creditwallet.wallet.domain.WalletStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The answers of the wallet, shaped exactly as the HTTP contract's bodies (field names included)
 * so the gateway serializes them as they are. Built from the state right after a command.
 */
public final class WalletViews {
  private WalletViews() {}

  /** GET /v1/wallets/{id}. {@code plan} and {@code subBudgets} are filled by later features. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record WalletView(
      String walletId,
      WalletStatus status,
      String timeZone,
      ConsumptionOrder consumptionOrder,
      PlanView plan,
      Map<String, BalanceView> balances,
      List<GrantView> grants,
      List<SubBudgetView> subBudgets,
      Map<String, Long> lowBalanceThresholds,
      Map<String, Long> overdraft)
      implements CborSerializable {}

  /**
   * {@code available}: what the category can spend now; {@code unassigned}: the part of it no
   * sub-budget has set aside (what spending without a sub-budget may use).
   */
  public record BalanceView(long available, long held, boolean unlimited, long unassigned)
      implements CborSerializable {}

  /** A sub-budget: its allocation per category, and what it holds, has spent and has left. */
  public record SubBudgetView(
      String subBudget,
      Map<String, Long> allocated,
      Map<String, Long> held,
      Map<String, Long> spent,
      Map<String, Long> unspent)
      implements CborSerializable {}

  public static SubBudgetView subBudget(SubBudget b) {
    Map<String, Long> unspent = new TreeMap<>();
    for (String c : b.allocated().keySet()) unspent.put(c, b.unspent(c));
    return new SubBudgetView(b.name(), b.allocated(), b.held(), b.spent(), unspent);
  }

  public record GrantView(
      String grantId,
      String category,
      GrantSource source,
      long amount,
      long remaining,
      int priority,
      Instant expiresAt,
      boolean expired)
      implements CborSerializable {}

  /** A reservation or a debit; optional parts are left out of the JSON until they exist. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReservationView(
      String reservationId,
      String debitId,
      ReservationStatus status,
      List<Line> lines,
      Long quantity,
      Long requestedQuantity,
      Instant createdAt,
      Instant expiresAt,
      Instant settledAt,
      String subBudget,
      String reference,
      List<Line> committed,
      List<Line> refunded)
      implements CborSerializable {}

  /** {@code metered}: spent from an unlimited category without any grant (0 elsewhere). */
  public record CategoryAudit(
      long granted, long refunded, long available, long held, long committed, long expired, long metered)
      implements CborSerializable {}

  /**
   * The wallet's plan and current cycle, as the contract shows it. {@code features} are the flags
   * of the wallet's own copy of the plan (e.g. {@code apiAccess}): the gateway reads them to gate
   * account keys without reading the plan registry, whose plan may have been edited since.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record PlanView(
      String planId, Instant cycleStart, Instant cycleEnd, Instant trialEndsAt, Map<String, Boolean> features)
      implements CborSerializable {}

  /**
   * The audit, and how much of the wallet is in memory: open holds, finished reservations still in
   * the recent window, and how many ever moved to the archive (operators watch these at volume).
   */
  public record AuditReport(
      boolean consistent, Map<String, CategoryAudit> categories, long openHolds, long recentReservations,
      long archivedReservations)
      implements CborSerializable {}

  /** The wallet PUT answer: whether it was created (201) or updated (200). */
  public record Configured(boolean created, WalletView wallet) implements CborSerializable {}

  public static WalletView wallet(String walletId, WalletState s) {
    Map<String, BalanceView> balances = new TreeMap<>();
    Set<String> categories = new java.util.TreeSet<>(s.totals().keySet());
    if (s.subscription() != null) categories.addAll(s.subscription().plan().categories());
    for (String c : categories) {
      balances.put(c, new BalanceView(
          s.available(c), s.totals(c).held(), s.isUnlimited(c), Math.max(0, s.unassigned(c))));
    }
    Subscription sub = s.subscription();
    PlanView plan = sub == null ? null
        : new PlanView(sub.plan().planId(), sub.cycleStart(), sub.cycleEnd(), sub.trialEndsAt(), sub.plan().features());
    Set<String> pinned = new HashSet<>();
    for (Reservation r : s.reservations().values()) {
      if (r.held()) r.draws().forEach(d -> pinned.add(d.grantId()));
    }
    List<GrantView> grants = new ArrayList<>();
    s.grants().values().stream()
        .filter(g -> g.remaining() > 0 || pinned.contains(g.grantId()))
        .sorted(Comparator.comparingLong(Grant::issueSeq))
        .forEach(g -> grants.add(grant(g)));
    return new WalletView(
        walletId, s.status(), s.settings().timeZone(), s.settings().consumptionOrder(), plan,
        balances, grants,
        s.subBudgets().values().stream().sorted(Comparator.comparing(SubBudget::name)).map(WalletViews::subBudget).toList(),
        s.settings().lowBalanceThresholds(), s.settings().overdraft());
  }

  public static GrantView grant(Grant g) {
    return new GrantView(
        GrantIds.display(g.grantId()), g.category(), g.source(), g.amount(), g.remaining(), g.priority(),
        g.expiresAt(), g.expired());
  }

  /** The reservation as it is now. */
  public static ReservationView reservation(Reservation r) {
    boolean committed = r.status() == ReservationStatus.COMMITTED;
    return view(r, r.status(), r.settledAt(), committed ? Draws.lines(r.committed()) : null,
        committed ? Draws.lines(r.refunded()) : null);
  }

  /**
   * The answer of the reserve (or debit) that created it, whatever happened since: a repeated
   * reserve answers exactly what the first one did (HELD, or COMMITTED for a debit).
   */
  public static ReservationView asReserved(Reservation r) {
    if (r.kind() == ReservationKind.DEBIT) return asCommitted(r);
    return view(r, ReservationStatus.HELD, null, null, null);
  }

  /** The answer of its commit: committed, nothing refunded yet. */
  public static ReservationView asCommitted(Reservation r) {
    return view(r, ReservationStatus.COMMITTED, r.settledAt(), Draws.lines(r.committed()), List.of());
  }

  /** The answer of one of its refunds: what had been refunded in total right after it. */
  public static ReservationView asRefunded(Reservation r, String refundId) {
    Reservation.Refund refund = r.refunds().get(refundId);
    return view(r, r.status(), r.settledAt(), Draws.lines(r.committed()), refund.refundedAfter());
  }

  private static ReservationView view(
      Reservation r, ReservationStatus status, Instant settledAt, List<Line> committed, List<Line> refunded) {
    boolean debit = r.kind() == ReservationKind.DEBIT;
    return new ReservationView(
        r.reservationId(), debit ? r.reservationId() : null, status, r.lines(), r.quantity(),
        r.request().quantity(), r.createdAt(), r.expiresAt(), settledAt, r.request().subBudget(),
        r.request().reference(), committed, refunded);
  }

  /**
   * Checks granted + refunded = available + held + committed + expired per category, with
   * "held" recomputed from the live reservations rather than taken from the running counter,
   * so drift between the two is caught as well.
   */
  public static AuditReport audit(WalletState s) {
    Map<String, Long> heldByReservations = new TreeMap<>();
    for (Reservation r : s.reservations().values()) {
      if (r.held()) {
        Draws.perCategory(r.draws()).forEach((c, a) -> heldByReservations.merge(c, a, Long::sum));
      }
    }
    boolean consistent = true;
    Map<String, CategoryAudit> out = new TreeMap<>();
    for (Map.Entry<String, CategoryTotals> e : s.totals().entrySet()) {
      String c = e.getKey();
      CategoryTotals t = e.getValue();
      long held = heldByReservations.getOrDefault(c, 0L);
      long available = s.available(c);
      CategoryAudit a = new CategoryAudit(
          t.granted(), t.refunded(), available, held, t.committed(), t.expired(), t.metered());
      out.put(c, a);
      boolean balanced =
          t.granted() + t.refunded() + t.metered() == available + held + t.committed() + t.expired();
      if (!balanced || held != t.held()) consistent = false;
    }
    return new AuditReport(consistent, out, s.openHolds(), s.recentCount(), s.archivedTotal());
  }
}
