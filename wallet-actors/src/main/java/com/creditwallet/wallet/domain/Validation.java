package com.creditwallet.wallet.domain;

import java.util.regex.Pattern;

/**
 * The input limits of the API contract, in one place so that the gateway and the entity reject
 * exactly the same things (the entity re-checks because batch and future callers bypass HTTP).
 */
public final class Validation {
  /** Amounts above this are typos or attacks; it also keeps every sum far from overflow. */
  public static final long MAX_AMOUNT = 1_000_000_000_000L;

  public static final long MAX_TTL_SECONDS = 7L * 24 * 3600;
  public static final long DEFAULT_TTL_SECONDS = 900;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private Validation() {}

  public static boolean isId(String s) {
    return s != null && ID.matcher(s).matches();
  }

  public static boolean isCategory(String s) {
    return s != null && CATEGORY.matcher(s).matches();
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
