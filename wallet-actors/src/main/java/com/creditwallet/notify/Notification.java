package com.creditwallet.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A notification as webhooks and the SSE stream deliver it. {@code eventId} is derived from what
 * caused it (wallet, event sequence number, type, subject), never random: when the read side
 * replays an event it derives the same id, and the first copy wins, so a receiver sees one
 * notification per cause, and at-least-once redeliveries carry the id it can deduplicate by.
 */
public record Notification(String eventId, String type, String walletId, Instant at, Map<String, Object> data) {

  public static final String BALANCE_LOW = "balance.low";
  public static final String BALANCE_RECOVERED = "balance.recovered";
  public static final String BALANCE_DEPLETED = "balance.depleted";
  public static final String GRANT_EXPIRING = "grant.expiring";
  public static final String GRANT_EXPIRED = "grant.expired";
  public static final String RESERVATION_EXPIRED = "reservation.expired";
  public static final String CYCLE_RESET = "cycle.reset";
  public static final String TRIAL_EXPIRED = "trial.expired";

  /** Every type a webhook may subscribe to. */
  public static final java.util.List<String> TYPES = java.util.List.of(BALANCE_LOW, BALANCE_RECOVERED,
      BALANCE_DEPLETED, GRANT_EXPIRING, GRANT_EXPIRED, RESERVATION_EXPIRED, CYCLE_RESET, TRIAL_EXPIRED);

  /** The stable id of the notification {@code type} about {@code subject} caused by {@code cause}. */
  public static String idFor(String walletId, String cause, String type, String subject) {
    String key = walletId + '\u0000' + cause + '\u0000' + type + '\u0000' + (subject == null ? "" : subject);
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  public static Notification of(String walletId, long seq, String type, String subject, Instant at,
      Map<String, Object> data) {
    return new Notification(idFor(walletId, Long.toString(seq), type, subject), type, walletId, at, data);
  }
}
