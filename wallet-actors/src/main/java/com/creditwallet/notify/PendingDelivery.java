package com.creditwallet.notify;

import java.time.Instant;

/** A delivery still to be made: what the dispatcher sends and when. */
public record PendingDelivery(String eventId, Instant createdAt, String payload, int attempts, Instant nextAttemptAt) {}
