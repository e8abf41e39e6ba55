package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.List;

/**
 * A reservation (or debit) exactly as asked for, defaults already applied, so that "same id with
 * the same body" is plain record equality. {@code id} is the reservationId or the debitId. Either
 * {@code lines}, or {@code operation} + {@code quantity} (+ {@code sender}): then lines is empty
 * and the rate card, resolved by the caller, turns the quantity into lines.
 */
public record ReserveRequest(
    String id,
    List<Line> lines,
    String operation,
    Long quantity,
    String sender,
    String subBudget,
    long ttlSeconds,
    boolean allowPartial,
    String reference)
    implements CborSerializable {

  public ReserveRequest {
    lines = List.copyOf(lines == null ? List.of() : lines);
  }

  /** The lines form. */
  public ReserveRequest(
      String id, List<Line> lines, String subBudget, long ttlSeconds, boolean allowPartial, String reference) {
    this(id, lines, null, null, null, subBudget, ttlSeconds, allowPartial, reference);
  }

  /**
   * This request, holding the given instances of its id and lines when they are equal to its own.
   * A reservation read back from a snapshot would otherwise keep two more copies of its id and
   * of its lines: about 200 bytes per open hold.
   */
  public ReserveRequest sharing(String sameId, List<Line> sameLines) {
    boolean shareId = id != sameId && id != null && id.equals(sameId);
    boolean shareLines = lines != sameLines && sameLines != null && lines.equals(sameLines);
    if (!shareId && !shareLines) return this;
    return new ReserveRequest(shareId ? sameId : id, shareLines ? sameLines : lines, operation, quantity, sender,
        subBudget, ttlSeconds, allowPartial, reference);
  }

  /** Not named isOperation: Jackson would read that as a boolean "operation" property. */
  public boolean operationForm() {
    return operation != null;
  }
}
