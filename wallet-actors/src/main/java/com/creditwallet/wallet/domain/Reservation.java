package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reservation and its whole history: the draws it pinned, what was committed and refunded of
 * them, and every refund request (kept for refund idempotency). Finished reservations stay in
 * the wallet for a retention period so that retries and refunds still find them.
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
    Map<String, RefundRequest> refunds,
    Instant createdAt,
    Instant expiresAt,
    Instant settledAt,
    Long quantity)
    implements CborSerializable {

  public Reservation {
    lines = List.copyOf(lines);
    draws = List.copyOf(draws);
    committed = List.copyOf(committed);
    refunded = List.copyOf(refunded);
    refunds = new TreeMap<>(refunds);
  }

  public Reservation settle(ReservationStatus newStatus, List<Draw> newCommitted, Instant at) {
    return new Reservation(
        reservationId, kind, request, newStatus, lines, draws, newCommitted, refunded, refunds,
        createdAt, expiresAt, at, quantity);
  }

  public Reservation withRefund(RefundRequest refund, List<Draw> refundDraws) {
    Map<String, RefundRequest> newRefunds = new TreeMap<>(refunds);
    newRefunds.put(refund.refundId(), refund);
    List<Draw> all = new ArrayList<>(refunded);
    all.addAll(refundDraws);
    return new Reservation(
        reservationId, kind, request, status, lines, draws, committed, Draws.merge(all), newRefunds,
        createdAt, expiresAt, settledAt, quantity);
  }

  /** Committed minus refunded, per category: what a refund may still return. */
  public Map<String, Long> refundable() {
    Map<String, Long> out = new LinkedHashMap<>(Draws.perCategory(committed));
    Draws.perCategory(refunded).forEach((c, a) -> out.merge(c, -a, Long::sum));
    return out;
  }
}
