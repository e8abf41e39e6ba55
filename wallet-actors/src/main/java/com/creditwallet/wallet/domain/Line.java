package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;

/** An amount of credits of one category: a line of a reservation, commit or refund. */
public record Line(String category, long amount) implements CborSerializable {
  public Line {
    category = Canonical.string(category);
  }
}
