package com.creditwallet.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Webhook retry delays and signatures. */
class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), 8);

  @Test
  void delaysDoubleWithinHalfJitterUpToTheCap() {
    assertEquals(Duration.ofMillis(500), backoff.after(1, () -> 0.0));
    assertEquals(Duration.ofMillis(999), backoff.after(1, () -> 0.999));
    assertEquals(Duration.ofMillis(2000), backoff.after(3, () -> 0.0)); // ceiling 4 s, half fixed
    assertEquals(Duration.ofMinutes(5), backoff.after(30, () -> 0.0));
    assertEquals(Duration.ofMinutes(10), backoff.after(1000, () -> 1.0));
  }

  @Test
  void theLastAttemptDeadLetters() {
    assertFalse(backoff.exhausted(7));
    assertTrue(backoff.exhausted(8));
  }

  @Test
  void signatureIsTheHexHmacSha256OfTheBody() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        WebhookSigner.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
  }
}
