package com.creditwallet.notify;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Retry delays of webhook deliveries: exponential (min, 2 min, 4 min ... capped at max) with
 * "equal jitter" (half fixed, half random), so receivers that failed together do not all get
 * retried in the same instant, and the delay never collapses to zero.
 */
public record Backoff(Duration min, Duration max, int maxAttempts) {

  /** The delay before attempt {@code failedAttempts + 1}; {@code random} gives [0, 1). */
  public Duration after(int failedAttempts, DoubleSupplier random) {
    int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long ceiling = Math.min(max.toMillis(), min.toMillis() << shift);
    if (ceiling < min.toMillis()) ceiling = max.toMillis(); // overflow of the shift
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
  }

  /** Whether a delivery that failed this many times is given up (dead-lettered). */
  public boolean exhausted(int failedAttempts) {
    return failedAttempts >= maxAttempts;
  }
}
