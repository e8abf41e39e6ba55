package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.List;

/** A refund of committed credits, e.g. for a bounced send; idempotent by refundId. */
public record RefundRequest(String refundId, List<Line> lines, String reason)
    implements CborSerializable {

  public RefundRequest {
    lines = List.copyOf(lines);
  }
}
