package com.creditwallet.loadtest;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Reads the simulations' parameters from system properties ({@code -Dname=value}, which the
 * Gatling Maven plugin hands on to the simulation's JVM), each with a default.
 *
 * <p>Why it exists: every simulation takes the same kinds of parameters (where the service is, the
 * admin key, the load, the bound on p99) and must fail clearly, before any load, when one is wrong.
 */
final class Params {
  static final String DEFAULT_BASE_URL = "http://127.0.0.1:8080";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Params() {}

  /** {@code -DbaseUrl}, without a trailing slash. */
  static String baseUrl() {
    String url = string("baseUrl", DEFAULT_BASE_URL);
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * {@code -DadminKey}, else {@code $WALLET_ADMIN_KEY}. No default could work (each node has its
   * own key), so a missing key stops the simulation before it sends anything.
   */
  static String adminKey() {
    String key = System.getProperty("adminKey");
    if (key == null || key.isBlank()) {
      key = System.getenv("WALLET_ADMIN_KEY");
    }
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("No admin key: pass -DadminKey=<key> or set WALLET_ADMIN_KEY "
          + "(`bin/wallet dev` prints the key it uses when WALLET_ADMIN_KEY is not set).");
    }
    return key.trim();
  }

  /**
   * A prefix unique to this run ({@code -DrunId} to choose it), so that the wallets, grants and
   * reservations of a rerun never collide with an earlier run's on the same data: e.g.
   * {@code lt-20261123T120501-k3f9}. At most 24 characters, of {@code [A-Za-z0-9-]}.
   */
  static String runId() {
    String explicit = System.getProperty("runId");
    if (explicit != null && !explicit.isBlank()) {
      if (!explicit.matches("[A-Za-z0-9._:-]{1,24}")) {
        throw new IllegalArgumentException("-DrunId must be 1-24 chars of [A-Za-z0-9._:-], got " + explicit);
      }
      return explicit;
    }
    String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder("lt-").append(time).append('-');
    for (int i = 0; i < 4; i++) {
      id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  static String string(String name, String defaultValue) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  static int intValue(String name, int defaultValue, int min) {
    return intValue(name, defaultValue, min, Integer.MAX_VALUE);
  }

  static int intValue(String name, int defaultValue, int min, int max) {
    return (int) longValue(name, defaultValue, min, max);
  }

  static long longValue(String name, long defaultValue, long min, long max) {
    String raw = System.getProperty(name);
    long value;
    try {
      value = raw == null || raw.isBlank() ? defaultValue : Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("-D" + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  static double doubleValue(String name, double defaultValue, double min) {
    return doubleValue(name, defaultValue, min, Double.MAX_VALUE);
  }

  static double doubleValue(String name, double defaultValue, double min, double max) {
    String raw = System.getProperty(name);
    double value;
    try {
      value = raw == null || raw.isBlank() ? defaultValue : Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a number, got '" + raw + "'");
    }
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException("-D" + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
