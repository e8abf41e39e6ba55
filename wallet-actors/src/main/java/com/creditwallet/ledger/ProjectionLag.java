package com.creditwallet.ledger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the read side is behind on this node: the age of the newest event of the last group a
 * wallet's feed wrote here, when it had been written. Read by the metrics and /health/ready.
 */
public final class ProjectionLag {
  private final AtomicLong millis = new AtomicLong();

  public void processed(long ageMillis) {
    millis.set(Math.max(0, ageMillis));
  }

  /** In milliseconds; 0 when nothing was projected yet. */
  public long millis() {
    return millis.get();
  }
}
