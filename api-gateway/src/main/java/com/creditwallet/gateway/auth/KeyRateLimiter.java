package com.creditwallet.gateway.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per account key, in this node's memory: {@code burst} requests at once, refilled
 * at {@code ratePerSecond}. The limit is per node (a key spread over N nodes by a load balancer
 * gets up to N times the rate): exact cluster-wide counting would cost a round trip per request,
 * and the limit is there to stop a runaway client, not to bill. Admin keys are not limited.
 * Buckets exist only for authenticated keys, so their number is bounded by the number of keys.
 */
public final class KeyRateLimiter {
  private final double ratePerSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code ratePerSecond <= 0} turns the limit off. */
  public KeyRateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
    if (ratePerSecond > 0 && burst < 1) throw new IllegalArgumentException("burst must be at least 1, not " + burst);
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** 0 when the request may go on; otherwise the whole seconds to wait (for Retry-After, at least 1). */
  public long acquire(String keyId) {
    if (ratePerSecond <= 0) return 0;
    Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, nanoTime.getAsLong()));
    synchronized (b) {
      long now = nanoTime.getAsLong();
      b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * ratePerSecond);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond));
    }
  }

  /** Forgets a key's bucket (it was revoked). */
  public void forget(String keyId) {
    buckets.remove(keyId);
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
