package com.creditwallet.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * What a {@link WebhookDispatcher} reads and writes: its webhook, its pending deliveries, and the
 * outcome of each attempt. {@link WebhookStore} keeps them in Cassandra; the interface lets the
 * dispatcher's ordering rules be tested with reads that complete exactly when a test says.
 */
public interface DeliveryQueue {
  CompletionStage<Optional<Webhook>> get(String webhookId);

  CompletionStage<List<PendingDelivery>> pending(String webhookId);

  /** Records an attempt: the delivery's new state, and the pending row kept (retry) or removed. */
  CompletionStage<Done> attempted(String webhookId, PendingDelivery p, String status, int attempts,
      Instant nextAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt);
}
