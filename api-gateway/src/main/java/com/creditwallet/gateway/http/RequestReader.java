package com.creditwallet.gateway.http;

import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict reading of a JSON request body. Every problem names its field, types are never coerced
 * ("3" is not 3, 3.0 is not 3), and unknown fields are refused: in a money API a misspelt
 * "expiresAT" silently ignored would grant credits that never expire.
 */
public final class RequestReader {
  private final JsonNode body;
  private final String prefix;
  private final Set<String> allowed;

  private RequestReader(JsonNode body, String prefix, Set<String> allowed) {
    this.body = body;
    this.prefix = prefix;
    this.allowed = allowed;
  }

  /** Reads {@code body}, which must be an object with no fields beyond {@code allowed}. */
  public static RequestReader of(JsonNode body, String... allowed) {
    return nested(body, "", allowed);
  }

  private static RequestReader nested(JsonNode node, String prefix, String... allowed) {
    if (node == null || !node.isObject()) {
      throw Rejection.invalid(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be a JSON object");
    }
    Set<String> names = Set.of(allowed);
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!names.contains(f)) throw Rejection.invalid(prefix + f, "is not a known field");
    }
    return new RequestReader(node, prefix, names);
  }

  private JsonNode get(String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n;
  }

  public boolean has(String field) {
    return get(field) != null;
  }

  public String string(String field) {
    JsonNode n = get(field);
    if (n == null) return null;
    if (!n.isTextual()) throw Rejection.invalid(prefix + field, "must be a string");
    return n.textValue();
  }

  public String requiredString(String field) {
    String s = string(field);
    if (s == null) throw Rejection.invalid(prefix + field, "is required");
    return s;
  }

  public String id(String field, boolean required) {
    String s = required ? requiredString(field) : string(field);
    if (s != null) Validation.requireId(prefix + field, s);
    return s;
  }

  public String category(String field) {
    String s = requiredString(field);
    Validation.requireCategory(prefix + field, s);
    return s;
  }

  /** A whole number within [min, max]; null when absent. */
  public Long integer(String field, long min, long max) {
    JsonNode n = get(field);
    if (n == null) return null;
    if (!n.isIntegralNumber()) throw Rejection.invalid(prefix + field, "must be an integer");
    BigInteger v = n.bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw Rejection.invalid(prefix + field, "must be from " + min + " to " + max);
    }
    return v.longValue();
  }

  public long amount(String field) {
    Long v = integer(field, Long.MIN_VALUE, Long.MAX_VALUE);
    if (v == null) throw Rejection.invalid(prefix + field, "is required");
    Validation.requireAmount(prefix + field, v);
    return v;
  }

  public Boolean bool(String field) {
    JsonNode n = get(field);
    if (n == null) return null;
    if (!n.isBoolean()) throw Rejection.invalid(prefix + field, "must be true or false");
    return n.booleanValue();
  }

  public Instant instant(String field) {
    String s = string(field);
    if (s == null) return null;
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw Rejection.invalid(prefix + field, "must be an ISO-8601 UTC instant like 2026-11-22T10:15:30Z");
    }
  }

  public LocalDate date(String field) {
    String s = string(field);
    if (s == null) return null;
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw Rejection.invalid(prefix + field, "must be a day like 2028-01-01");
    }
  }

  public <E extends Enum<E>> E enumValue(String field, Class<E> type) {
    String s = string(field);
    if (s == null) return null;
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) names.add(c.name());
      throw Rejection.invalid(prefix + field, "must be one of " + names);
    }
  }

  /** {"category": amount} with categories checked and amounts within [min, 10^12]. */
  public Map<String, Long> categoryAmounts(String field, long min) {
    JsonNode n = get(field);
    if (n == null) return null;
    RequestReader map = nested(n, prefix + field + ".", names(n));
    Map<String, Long> out = new LinkedHashMap<>();
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String c = it.next();
      Validation.requireCategory(prefix + field + "." + c, c);
      out.put(c, map.integer(c, min, Validation.MAX_AMOUNT));
    }
    return out;
  }

  /** [{"category": ..., "amount": ...}, ...]; null when absent. */
  public List<Line> lines(String field) {
    JsonNode n = get(field);
    if (n == null) return null;
    if (!n.isArray()) throw Rejection.invalid(prefix + field, "must be an array of {category, amount}");
    if (n.size() > Validation.MAX_LINES) {
      throw Rejection.invalid(prefix + field, "must have at most " + Validation.MAX_LINES + " lines");
    }
    List<Line> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n.size(); i++) {
      RequestReader line = nested(n.get(i), prefix + field + "[" + i + "].", "category", "amount");
      String category = line.category("category");
      if (!seen.add(category)) throw Rejection.invalid(prefix + field + "[" + i + "].category", "appears twice");
      out.add(new Line(category, line.amount("amount")));
    }
    return out;
  }

  private static String[] names(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isObject()) n.fieldNames().forEachRemaining(out::add);
    return out.toArray(String[]::new);
  }

  /** A nested object with its own allowed fields; null when absent. */
  public RequestReader object(String field, String... allowedFields) {
    JsonNode n = get(field);
    return n == null ? null : nested(n, prefix + field + ".", allowedFields);
  }

  /** A nested object whose field names are data (e.g. sender names); null when absent. */
  public RequestReader openObject(String field) {
    JsonNode n = get(field);
    return n == null ? null : nested(n, prefix + field + ".", names(n));
  }

  /** The field names present in this object, in order. */
  public List<String> fieldNames() {
    List<String> out = new ArrayList<>();
    body.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** ["a", "b"] of categories; null when absent. */
  public List<String> categories(String field) {
    JsonNode n = get(field);
    if (n == null) return null;
    if (!n.isArray()) throw Rejection.invalid(prefix + field, "must be an array of categories");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode c = n.get(i);
      if (!c.isTextual()) throw Rejection.invalid(prefix + field + "[" + i + "]", "must be a string");
      Validation.requireCategory(prefix + field + "[" + i + "]", c.textValue());
      out.add(c.textValue());
    }
    return out;
  }

  /** {"name": true|false}; null when absent. */
  public Map<String, Boolean> flags(String field) {
    JsonNode n = get(field);
    if (n == null) return null;
    RequestReader map = nested(n, prefix + field + ".", names(n));
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String name : map.allowed()) out.put(name, map.bool(name));
    return out;
  }

  /** A field that exists in the contract but whose feature is not available yet. */
  public void notYet(String field, String feature) {
    if (body.has(field)) throw Rejection.invalid(prefix + field, "is not supported yet (" + feature + ")");
  }

  Set<String> allowed() {
    return allowed;
  }
}
