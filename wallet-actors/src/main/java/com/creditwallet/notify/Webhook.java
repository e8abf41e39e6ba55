package com.creditwallet.notify;

import java.time.Instant;
import java.util.Set;

/**
 * A webhook subscription: where to POST, the secret that signs each body, the notification types
 * wanted, and optionally the one wallet it is about (null: every wallet).
 */
public record Webhook(String webhookId, String url, String secret, Set<String> events, String walletId, Instant updatedAt) {
  public boolean wants(Notification n) {
    return events.contains(n.type()) && (walletId == null || walletId.equals(n.walletId()));
  }
}
