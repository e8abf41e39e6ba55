package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advanceMillis(long ms) {
    now.addAndGet(ms * 1_000_000L);
  }

  @Test
  void aBurstThenTheSteadyRate() {
    KeyRateLimiter limiter = new KeyRateLimiter(10, 3, now::get);
    for (int i = 0; i < 3; i++) assertEquals(0, limiter.acquire("k"));
    assertEquals(1, limiter.acquire("k"), "empty bucket: retry after a second at most");
    advanceMillis(100);
    assertEquals(0, limiter.acquire("k"), "a tenth of a second refills one request at 10/s");
    assertEquals(1, limiter.acquire("k"));
  }

  @Test
  void keysHaveTheirOwnBuckets() {
    KeyRateLimiter limiter = new KeyRateLimiter(1, 1, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("b"));
  }

  @Test
  void retryAfterIsTheWholeSecondsUntilTheNextToken() {
    KeyRateLimiter limiter = new KeyRateLimiter(0.01, 1, now::get);
    assertEquals(0, limiter.acquire("k"));
    assertEquals(100, limiter.acquire("k"));
    advanceMillis(60_000);
    assertEquals(40, limiter.acquire("k"));
    advanceMillis(40_000);
    assertEquals(0, limiter.acquire("k"));
  }

  @Test
  void theBucketNeverHoldsMoreThanTheBurst() {
    KeyRateLimiter limiter = new KeyRateLimiter(100, 2, now::get);
    advanceMillis(3_600_000);
    assertEquals(0, limiter.acquire("k"));
    assertEquals(0, limiter.acquire("k"));
    assertEquals(1, limiter.acquire("k"));
  }

  @Test
  void rateZeroIsNoLimit() {
    KeyRateLimiter limiter = new KeyRateLimiter(0, 0, now::get);
    for (int i = 0; i < 10_000; i++) assertEquals(0, limiter.acquire("k"));
  }

  @Test
  void aForgottenKeyStartsAFullBucket() {
    KeyRateLimiter limiter = new KeyRateLimiter(0.001, 1, now::get);
    assertEquals(0, limiter.acquire("k"));
    limiter.forget("k");
    assertEquals(0, limiter.acquire("k"));
  }
}
