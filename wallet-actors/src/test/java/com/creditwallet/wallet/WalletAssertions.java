package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletState;

/** Field-by-field equality of two wallet states (WalletState has no equals of its own). */
final class WalletAssertions {
  private WalletAssertions() {}

  static void assertSameWallet(WalletState expected, WalletState actual) {
    assertEquals(expected.exists(), actual.exists(), "exists");
    assertEquals(expected.settingsVersion(), actual.settingsVersion(), "settingsVersion");
    assertEquals(expected.settings(), actual.settings(), "settings");
    assertEquals(expected.status(), actual.status(), "status");
    assertEquals(expected.grants(), actual.grants(), "grants");
    assertEquals(expected.reservations(), actual.reservations(), "reservations");
    assertEquals(expected.totals(), actual.totals(), "totals");
    assertEquals(expected.grantSeq(), actual.grantSeq(), "grantSeq");
    assertEquals(expected.subscription(), actual.subscription(), "subscription");
    assertEquals(expected.trialUsed(), actual.trialUsed(), "trialUsed");
    // The deadline index is derived, not stored: it must come out the same.
    assertEquals(
        expected.nextDeadline(WalletPolicy.DEFAULTS), actual.nextDeadline(WalletPolicy.DEFAULTS), "next deadline");
    assertEquals(expected.openHolds(), actual.openHolds(), "open holds");
    assertEquals(expected.archivedTotal(), actual.archivedTotal(), "archived");
    assertEquals(WalletViews.wallet("w", expected), WalletViews.wallet("w", actual), "wallet view");
    assertEquals(WalletViews.audit(expected), WalletViews.audit(actual), "audit");
  }
}
