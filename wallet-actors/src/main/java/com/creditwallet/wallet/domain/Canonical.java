package com.creditwallet.wallet.domain;

/**
 * One shared instance per distinct category and grant id. Every open hold names them in its lines
 * and draws, and each request or snapshot read would otherwise bring its own copies: about 48
 * bytes per string per hold, on wallets with hundreds of thousands of holds. The JVM's string
 * table is used because it lets go of strings nothing refers to any more, so ids of deleted
 * grants or rejected requests do not pile up.
 */
final class Canonical {
  private Canonical() {}

  static String string(String s) {
    return s == null ? null : s.intern();
  }
}
