package com.creditwallet.notify;

import java.time.Instant;

/** One notification's delivery to one webhook, as {@code GET /v1/webhooks/{id}/deliveries} lists it. */
public record Delivery(
    String eventId,
    String type,
    Instant createdAt,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Integer lastStatus,
    String lastError,
    Instant deliveredAt) {
  public static final String PENDING = "PENDING";
  public static final String DELIVERED = "DELIVERED";
  public static final String DEAD = "DEAD";
}
