package com.creditwallet.wallet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only moves when the test says so. Thread-safe (the entity reads it on the actor's
 * thread while the test advances it), and shared by all views from {@link #withZone}.
 */
public final class ManualClock extends Clock {
  private volatile Instant now;
  private final ZoneId zone;
  private final ManualClock root;

  public ManualClock(Instant start) {
    this.now = start;
    this.zone = ZoneOffset.UTC;
    this.root = this;
  }

  private ManualClock(ManualClock root, ZoneId zone) {
    this.root = root;
    this.zone = zone;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ManualClock(root, zone);
  }

  @Override
  public Instant instant() {
    return root.now;
  }

  public ManualClock advance(Duration d) {
    if (d.isNegative()) throw new IllegalArgumentException("time only moves forward: " + d);
    synchronized (root) {
      root.now = root.now.plus(d);
    }
    return this;
  }

  public ManualClock advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  public ManualClock set(Instant to) {
    synchronized (root) {
      if (to.isBefore(root.now)) throw new IllegalArgumentException("time only moves forward: " + to);
      root.now = to;
    }
    return this;
  }
}
