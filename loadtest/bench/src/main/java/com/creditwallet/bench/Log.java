package com.creditwallet.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * Progress lines on stdout, each with the time since the bench started.
 *
 * <p>Why it exists: a run takes minutes; the user should see which phase is running and that it
 * is moving, in one consistent format.
 */
public final class Log {
  private static final Instant START = Instant.now();

  private Log() {}

  public static synchronized void line(String text) {
    long s = Duration.between(START, Instant.now()).toSeconds();
    System.out.printf("[bench %02d:%02d] %s%n", s / 60, s % 60, text);
    System.out.flush();
  }
}
