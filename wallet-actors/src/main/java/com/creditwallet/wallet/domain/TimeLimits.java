package com.creditwallet.wallet.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The bounds of every duration and instant a client sends. Without them one absurd value (a cycle
 * of {@code P999999999Y}, a grant expiring in the year +999999999) overflows the date arithmetic
 * of a rule, or a deadline the entity cannot store, and breaks the wallet on every later command.
 * Anything outside is 400 INVALID_REQUEST naming the field.
 *
 * <p>A calendar period is measured by its estimated length (a year is 365.2425 days, a month a
 * twelfth of that), so {@code P10Y}, {@code P120M} and {@code P3652D} are all within 10 years and
 * {@code P3653D} is not, wherever and whenever the period is applied.
 */
public final class TimeLimits {
  public static final Duration MIN_CYCLE = Duration.ofSeconds(1);
  public static final Duration MAX_CYCLE = years(10);
  public static final Duration MIN_TRIAL = Duration.ofSeconds(1);
  public static final Duration MAX_TRIAL = years(1);
  public static final Duration MAX_VALID_FOR = years(100);
  /** How far ahead {@code expiresAt} and {@code expiresOn} may lie. */
  public static final int MAX_EXPIRY_YEARS = 100;

  private TimeLimits() {}

  /** A plan's billing cycle: 1 second to 10 years. */
  public static void requireCycle(String field, String iso) {
    requireLength(field, iso, MIN_CYCLE, MAX_CYCLE, "from 1 second to 10 years");
  }

  /** A plan's trial length: 1 second to 1 year. */
  public static void requireTrial(String field, String iso) {
    requireLength(field, iso, MIN_TRIAL, MAX_TRIAL, "from 1 second to 1 year");
  }

  /**
   * A grant's {@code validFor}: the expiry instant it gives from {@code now}, a calendar period
   * counted in the wallet's zone or an exact duration; positive and at most 100 years.
   */
  static Instant validFor(String field, String iso, Instant now, ZoneId zone) {
    requireLength(field, iso, Duration.ofMillis(1), MAX_VALID_FOR, "longer than 0 and at most 100 years");
    return CycleMath.plus(now, iso, zone, 1);
  }

  /** An {@code expiresAt}: in the future, at most 100 years ahead. */
  static void requireExpiry(String field, Instant at, Instant now, ZoneId zone) {
    if (!at.isAfter(now)) throw Rejection.invalid(field, "must be in the future");
    if (at.isAfter(now.atZone(zone).plusYears(MAX_EXPIRY_YEARS).toInstant())) {
      throw Rejection.invalid(field, "must be at most " + MAX_EXPIRY_YEARS + " years ahead");
    }
  }

  /**
   * An {@code expiresOn} day: today or later in the wallet's zone (it expires at the end of that
   * day), at most 100 years ahead. Checked before any arithmetic on the day, which for
   * {@code +999999999-12-31} would overflow.
   */
  static Instant expiresOn(String field, LocalDate day, Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    if (day.isBefore(today)) throw Rejection.invalid(field, "must be in the future");
    if (day.isAfter(today.plusYears(MAX_EXPIRY_YEARS))) {
      throw Rejection.invalid(field, "must be at most " + MAX_EXPIRY_YEARS + " years ahead");
    }
    Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
    if (!end.isAfter(now)) throw Rejection.invalid(field, "must be in the future");
    return end;
  }

  private static void requireLength(String field, String iso, Duration min, Duration max, String range) {
    if (iso == null) throw Rejection.invalid(field, "is required");
    Duration length;
    try {
      length = estimatedLength(iso);
    } catch (DateTimeException | ArithmeticException e) {
      throw Rejection.invalid(field, "must be an ISO-8601 period or duration such as P1M, P30D or PT30S");
    }
    if (length.compareTo(min) < 0 || length.compareTo(max) > 0) {
      throw Rejection.invalid(field, "must be " + range);
    }
  }

  /**
   * The length of a duration, or the estimated length of a period; a period with any negative
   * part counts as negative (so it is refused), whatever its other parts.
   */
  private static Duration estimatedLength(String iso) {
    if (iso.contains("T")) return Duration.parse(iso);
    Period p = Period.parse(iso);
    if (p.isNegative()) return Duration.ofSeconds(-1);
    return ChronoUnit.YEARS.getDuration().multipliedBy(p.getYears())
        .plus(ChronoUnit.MONTHS.getDuration().multipliedBy(p.getMonths()))
        .plus(ChronoUnit.DAYS.getDuration().multipliedBy(p.getDays()));
  }

  private static Duration years(long n) {
    return ChronoUnit.YEARS.getDuration().multipliedBy(n);
  }
}
