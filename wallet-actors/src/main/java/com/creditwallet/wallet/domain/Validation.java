package com.creditwallet.wallet.domain;

/**
 * The input limits of the API contract, in one place so that the gateway and the entity reject
 * exactly the same things (the entity re-checks because batch and future callers bypass HTTP).
 */
public final class Validation {
  /** Amounts above this are typos or attacks; it also keeps every sum far from overflow. */
  public static final long MAX_AMOUNT = 1_000_000_000_000L;

  public static final long MAX_TTL_SECONDS = 7L * 24 * 3600;
  public static final long DEFAULT_TTL_SECONDS = 900;

  /** Lines of one spending call, each a different category (no wallet has near as many). */
  public static final int MAX_LINES = 100;

  private Validation() {}

  /*
   * The two checks below are the patterns in their messages, written as loops over ASCII ranges:
   * every reservation checks its wallet id, its own id and each line's category at the gateway
   * and again in the entity, and a regex Matcher per check was about 1.5% of a busy node's
   * allocations. ValidationTest compares them with the patterns on random strings.
   */

  /** [A-Za-z0-9._:-]{1,64} */
  public static boolean isId(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isLower(c) || c >= 'A' && c <= 'Z' || isDigit(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** [a-z][a-z0-9_]{0,31} */
  public static boolean isCategory(String s) {
    if (s == null || s.isEmpty() || s.length() > 32 || !isLower(s.charAt(0))) return false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isLower(c) || isDigit(c) || c == '_')) return false;
    }
    return true;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  public static boolean isAmount(long amount) {
    return amount > 0 && amount <= MAX_AMOUNT;
  }

  public static void requireId(String field, String value) {
    if (!isId(value)) throw Rejection.invalid(field, "must be 1-64 characters of [A-Za-z0-9._:-]");
  }

  public static void requireCategory(String field, String value) {
    if (!isCategory(value)) throw Rejection.invalid(field, "must match [a-z][a-z0-9_]{0,31}");
  }

  public static void requireAmount(String field, long value) {
    if (!isAmount(value)) throw Rejection.invalid(field, "must be an integer from 1 to 10^12");
  }
}
