package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reservation and its whole history: the draws it pinned, what was committed and refunded of
 * them, and every refund (kept for refund idempotency, with what had been refunded right after
 * it, to answer a repeated refund exactly as the first time). Finished reservations stay in the
 * wallet for a short recent window, then move to the durable archive. {@code revision} counts
 * changes, so an archive write that raced with a refund is never taken as current.
 */
public record Reservation(
    String reservationId,
    ReservationKind kind,
    ReserveRequest request,
    ReservationStatus status,
    List<Line> lines,
    List<Draw> draws,
    List<Draw> committed,
    List<Draw> refunded,
    Map<String, Refund> refunds,
    Instant createdAt,
    Instant expiresAt,
    Instant settledAt,
    Long quantity,
    int revision)
    implements CborSerializable {

  /** One refund: the request, and the refunded lines in total right after it. */
  public record Refund(RefundRequest request, List<Line> refundedAfter) implements CborSerializable {}

  public Reservation {
    lines = List.copyOf(lines);
    draws = List.copyOf(draws);
    committed = List.copyOf(committed);
    refunded = List.copyOf(refunded);
    if (request != null) request = request.sharing(reservationId, lines); // one id, one list, not copies
    // Most reservations are never refunded: they share one empty map instead of a TreeMap each
    // (48 bytes per open hold, on a wallet that may have hundreds of thousands).
    refunds = refunds.isEmpty() ? Collections.emptySortedMap() : new TreeMap<>(refunds);
  }

  public boolean held() {
    return status == ReservationStatus.HELD;
  }

  public Reservation settle(ReservationStatus newStatus, List<Draw> newCommitted, Instant at) {
    return new Reservation(
        reservationId, kind, request, newStatus, lines, draws, newCommitted, refunded, refunds,
        createdAt, expiresAt, at, quantity, revision + 1);
  }

  public Reservation withRefund(RefundRequest refund, List<Draw> refundDraws) {
    List<Draw> all = new ArrayList<>(refunded);
    all.addAll(refundDraws);
    List<Draw> merged = Draws.merge(all);
    Map<String, Refund> newRefunds = new TreeMap<>(refunds);
    newRefunds.put(refund.refundId(), new Refund(refund, Draws.lines(merged)));
    return new Reservation(
        reservationId, kind, request, status, lines, draws, committed, merged, newRefunds,
        createdAt, expiresAt, settledAt, quantity, revision + 1);
  }

  /** Committed minus refunded, per category: what a refund may still return. */
  public Map<String, Long> refundable() {
    Map<String, Long> out = new LinkedHashMap<>(Draws.perCategory(committed));
    Draws.perCategory(refunded).forEach((c, a) -> out.merge(c, -a, Long::sum));
    return out;
  }
}
