package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;

/**
 * Credits taken from one exact grant. Reservations pin their draws so that commits, releases
 * and refunds go back to the very grants they came from, whatever happened since.
 */
public record Draw(String grantId, String category, long amount) implements CborSerializable {
  /**
   * The pseudo-grant that stands for the category's overdraft. '~' is outside the id alphabet,
   * so no client grant can ever collide with it.
   */
  public static final String OVERDRAFT = "~overdraft";

  public boolean fromOverdraft() {
    return OVERDRAFT.equals(grantId);
  }

  public Draw withAmount(long newAmount) {
    return new Draw(grantId, category, newAmount);
  }
}
