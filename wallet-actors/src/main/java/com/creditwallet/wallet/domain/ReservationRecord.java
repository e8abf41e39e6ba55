package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished reservation as it is written to the durable archive and carried by
 * {@code ReservationRestored}: flat fields only, part of the versioned journal schema (like the
 * events), so the domain's {@link Reservation} can change without making archived rows or old
 * events unreadable. Fields may be added, never renamed or removed.
 */
public record ReservationRecord(
    String reservationId,
    ReservationKind kind,
    ReservationStatus status,
    List<Line> lines,
    List<Draw> draws,
    List<Draw> committed,
    List<Draw> refunded,
    List<RefundEntry> refunds,
    Instant createdAt,
    Instant expiresAt,
    Instant settledAt,
    Long quantity,
    int revision,
    List<Line> requestedLines,
    String operation,
    Long requestedQuantity,
    String sender,
    String subBudget,
    long ttlSeconds,
    boolean allowPartial,
    String reference)
    implements CborSerializable {

  /** One refund of the reservation and the refunded total right after it. */
  public record RefundEntry(String refundId, List<Line> lines, String reason, List<Line> refundedAfter)
      implements CborSerializable {}

  public static ReservationRecord of(Reservation r) {
    List<RefundEntry> refunds = new ArrayList<>();
    r.refunds().forEach((id, f) ->
        refunds.add(new RefundEntry(id, f.request().lines(), f.request().reason(), f.refundedAfter())));
    ReserveRequest q = r.request();
    return new ReservationRecord(r.reservationId(), r.kind(), r.status(), r.lines(), r.draws(), r.committed(),
        r.refunded(), refunds, r.createdAt(), r.expiresAt(), r.settledAt(), r.quantity(), r.revision(),
        q.lines(), q.operation(), q.quantity(), q.sender(), q.subBudget(), q.ttlSeconds(), q.allowPartial(),
        q.reference());
  }

  public Reservation toReservation() {
    Map<String, Reservation.Refund> map = new TreeMap<>();
    for (RefundEntry e : refunds == null ? List.<RefundEntry>of() : refunds) {
      map.put(e.refundId(), new Reservation.Refund(new RefundRequest(e.refundId(), e.lines(), e.reason()),
          e.refundedAfter()));
    }
    ReserveRequest q = new ReserveRequest(reservationId, requestedLines, operation, requestedQuantity, sender,
        subBudget, ttlSeconds, allowPartial, reference);
    return new Reservation(reservationId, kind, q, status, lines, draws, committed, refunded, map, createdAt,
        expiresAt, settledAt, quantity, revision);
  }
}
