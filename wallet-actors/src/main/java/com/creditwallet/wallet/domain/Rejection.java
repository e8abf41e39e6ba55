package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * A business refusal: a stable API error code, its HTTP status and a detail. It travels inside
 * {@code StatusReply.error}, and Pekko sends exceptions between nodes as class name + message
 * only, so the message is the JSON of all fields and the (String) constructor rebuilds them.
 * No stack trace: rejections are expected outcomes on the hot path, not faults.
 */
public final class Rejection extends RuntimeException implements CborSerializable {
  public static final String INVALID_REQUEST = "INVALID_REQUEST";
  public static final String INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS";
  public static final String IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT";
  public static final String WALLET_NOT_FOUND = "WALLET_NOT_FOUND";
  public static final String RESERVATION_NOT_FOUND = "RESERVATION_NOT_FOUND";
  public static final String RESERVATION_RELEASED = "RESERVATION_RELEASED";
  public static final String RESERVATION_EXPIRED = "RESERVATION_EXPIRED";
  public static final String RESERVATION_COMMITTED = "RESERVATION_COMMITTED";
  public static final String REFUND_EXCEEDS_COMMITTED = "REFUND_EXCEEDS_COMMITTED";
  public static final String TOPUP_OUT_OF_BOUNDS = "TOPUP_OUT_OF_BOUNDS";
  public static final String WALLET_SUSPENDED = "WALLET_SUSPENDED";
  public static final String TRIAL_EXPIRED = "TRIAL_EXPIRED";

  /** Whole numbers come back as Long, as they were sent (amounts are longs everywhere). */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  /** The serializable content of a rejection. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Body(String code, int status, String detail, Map<String, Object> extras) {}

  private final Body body;

  public Rejection(String code, int status, String detail, Map<String, Object> extras) {
    this(new Body(code, status, detail, extras == null ? Map.of() : new TreeMap<>(extras)));
  }

  private Rejection(Body body) {
    super(encode(body), null, false, false);
    this.body = body;
  }

  /** Used by Pekko when the rejection arrives from another node. */
  public Rejection(String message) {
    this(decode(message));
  }

  public Body body() {
    return body;
  }

  public String code() {
    return body.code();
  }

  public int status() {
    return body.status();
  }

  public String detail() {
    return body.detail();
  }

  public Map<String, Object> extras() {
    return body.extras() == null ? Map.of() : body.extras();
  }

  public static Rejection invalid(String field, String problem) {
    return new Rejection(INVALID_REQUEST, 400, field + " " + problem, Map.of("field", field));
  }

  public static Rejection walletNotFound(String walletId) {
    return new Rejection(WALLET_NOT_FOUND, 404, "wallet " + walletId + " does not exist", Map.of());
  }

  public static Rejection reservationNotFound(String reservationId) {
    return new Rejection(
        RESERVATION_NOT_FOUND, 404, "reservation " + reservationId + " does not exist", Map.of());
  }

  public static Rejection conflict(String what) {
    return new Rejection(
        IDEMPOTENCY_CONFLICT,
        409,
        what + " was already used with a different request body",
        Map.of());
  }

  private static String encode(Body body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Body decode(String message) {
    try {
      return JSON.readValue(message, Body.class);
    } catch (JsonProcessingException e) {
      return new Body("INTERNAL", 500, message, Map.of());
    }
  }
}
