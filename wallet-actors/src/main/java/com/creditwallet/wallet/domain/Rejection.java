package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A business refusal: a stable API error code and a detail, no HTTP status (statuses belong to
 * the gateway, which maps each code to one). Rules throw it to stop deciding a command; the
 * entity catches it and answers a typed {@code Outcome.rejected(body)}, so it never travels as
 * an exception between actors. The registry still sends it inside {@code StatusReply.error}, as
 * class name + message: the message is the JSON of all fields and the (String) constructor
 * rebuilds them. No stack trace: rejections are expected outcomes on the hot path, not faults.
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
  public static final String SUB_BUDGET_EXHAUSTED = "SUB_BUDGET_EXHAUSTED";
  public static final String TRIAL_ALREADY_USED = "TRIAL_ALREADY_USED";
  public static final String TOO_MANY_OPEN_HOLDS = "TOO_MANY_OPEN_HOLDS";
  /** The reservation archive could not be read, so the command could not be decided safely. */
  public static final String ARCHIVE_UNAVAILABLE = "ARCHIVE_UNAVAILABLE";
  /** A fault in the service, not in the request: the entity caught it and kept running. */
  public static final String INTERNAL = "INTERNAL";

  /** Whole numbers come back as Long, as they were sent (amounts are longs everywhere). */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  /** The serializable content of a rejection. */
  /**
   * The serializable content of a rejection. On the wire it is one JSON string, read back by a
   * plain mapper: free-form extras (nested maps of amounts) must come back as Java maps of Longs,
   * whatever modules the transport's mapper has (Pekko's registers Scala's, which would turn them
   * into Scala collections and Integers).
   */
  public record Body(String code, String detail, Map<String, Object> extras) implements CborSerializable {
    @JsonValue
    String wire() {
      return encode(this);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Body fromWire(String json) {
      return decode(json);
    }
  }

  private final Body body;

  public Rejection(String code, String detail, Map<String, Object> extras) {
    this(new Body(code, detail, extras == null ? Map.of() : new TreeMap<>(extras)));
  }

  private Rejection(Body body) {
    super(encode(body), null, false, false);
    this.body = body;
  }

  /** The rejection an {@code Outcome} carried, back as an exception (for the gateway). */
  public static Rejection of(Body body) {
    return new Rejection(body);
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

  public String detail() {
    return body.detail();
  }

  public Map<String, Object> extras() {
    return body.extras() == null ? Map.of() : body.extras();
  }

  public static Rejection invalid(String field, String problem) {
    return new Rejection(INVALID_REQUEST, field + " " + problem, Map.of("field", field));
  }

  public static Rejection walletNotFound(String walletId) {
    return new Rejection(WALLET_NOT_FOUND, "wallet " + walletId + " does not exist", Map.of());
  }

  public static Rejection reservationNotFound(String reservationId) {
    return new Rejection(RESERVATION_NOT_FOUND, "reservation " + reservationId + " does not exist", Map.of());
  }

  public static Rejection conflict(String what) {
    return new Rejection(IDEMPOTENCY_CONFLICT,
        what + " was already used with a different request body",
        Map.of());
  }

  private static String encode(Body body) {
    Map<String, Object> wire = new LinkedHashMap<>();
    wire.put("code", body.code());
    wire.put("detail", body.detail());
    if (body.extras() != null && !body.extras().isEmpty()) wire.put("extras", body.extras());
    try {
      return JSON.writeValueAsString(wire);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Body decode(String message) {
    try {
      Map<String, Object> wire = JSON.readValue(message, Map.class);
      Object extras = wire.get("extras");
      return new Body((String) wire.get("code"), (String) wire.get("detail"),
          extras == null ? Map.of() : (Map<String, Object>) extras);
    } catch (JsonProcessingException | ClassCastException e) {
      return new Body(INTERNAL, message, Map.of());
    }
  }
}
