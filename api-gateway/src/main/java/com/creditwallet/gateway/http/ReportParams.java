package com.creditwallet.gateway.http;

import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Strict reading of the report endpoints' query parameters: every bad value is a 400
 * INVALID_REQUEST naming the parameter, and unknown parameters are refused (a misspelt
 * "categry" silently ignored would return the whole ledger as if filtered).
 */
final class ReportParams {
  private final Map<String, String> params;

  private ReportParams(Map<String, String> params) {
    this.params = params;
  }

  static ReportParams of(Map<String, String> params, String... allowed) {
    java.util.Set<String> names = java.util.Set.of(allowed);
    for (String p : params.keySet()) {
      if (!names.contains(p)) throw Rejection.invalid(p, "is not a known parameter; known: " + names);
    }
    return new ReportParams(params);
  }

  String string(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** An ISO-8601 instant, or a day (its start, UTC). */
  Instant instant(String name) {
    String v = string(name);
    if (v == null) return null;
    try {
      return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw Rejection.invalid(name, "must be an ISO-8601 UTC instant like 2026-11-22T10:15:30Z or a day like 2026-11-22");
    }
  }

  LocalDate day(String name) {
    String v = string(name);
    if (v == null) return null;
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw Rejection.invalid(name, "must be a day like 2026-11-22");
    }
  }

  String category(String name) {
    String v = string(name);
    if (v != null) Validation.requireCategory(name, v);
    return v;
  }

  String id(String name) {
    String v = string(name);
    if (v != null) Validation.requireId(name, v);
    return v;
  }

  int integer(String name, int min, int max, int dflt) {
    String v = string(name);
    if (v == null) return dflt;
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) throw new NumberFormatException();
      return i;
    } catch (NumberFormatException e) {
      throw Rejection.invalid(name, "must be a whole number from " + min + " to " + max);
    }
  }

  /** json (default), csv or xlsx; {@code Accept: text/csv} alone asks for csv. */
  String format(boolean acceptsCsvOnly) {
    String v = string("format");
    if (v == null) return acceptsCsvOnly ? "csv" : "json";
    if (!v.equals("json") && !v.equals("csv") && !v.equals("xlsx")) {
      throw Rejection.invalid("format", "must be json, csv or xlsx");
    }
    return v;
  }
}
