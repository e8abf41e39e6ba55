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

  /** The pseudo-grant of a category the plan makes unlimited: metered, never blocked. */
  public static final String UNLIMITED = "~unlimited";

  public Draw {
    grantId = Canonical.string(grantId);
    category = Canonical.string(category);
  }

  public boolean fromUnlimited() {
    return UNLIMITED.equals(grantId);
  }

  /** Overdraft or unlimited: credits that did not come from a real grant. */
  public boolean fromPseudoGrant() {
    return fromOverdraft() || fromUnlimited();
  }

  public boolean fromOverdraft() {
    return OVERDRAFT.equals(grantId);
  }

  public Draw withAmount(long newAmount) {
    return new Draw(grantId, category, newAmount);
  }
}
