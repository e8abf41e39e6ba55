package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.List;

/**
 * A reservation (or debit) exactly as asked for, defaults already applied, so that "same id with
 * the same body" is plain record equality. {@code id} is the reservationId or the debitId.
 */
public record ReserveRequest(
    String id,
    List<Line> lines,
    String subBudget,
    long ttlSeconds,
    boolean allowPartial,
    String reference)
    implements CborSerializable {

  public ReserveRequest {
    lines = List.copyOf(lines);
  }
}
