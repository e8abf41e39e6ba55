package com.creditwallet.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the read side is behind, per tag projected on this node: the age of the newest event
 * of the last group when it had been projected (the journal's eventual-consistency delay is part
 * of it). A tag that is not running here is not listed. Read by the metrics and /health/ready.
 */
public final class ProjectionLag {
  private final Map<String, Long> millisByTag = new ConcurrentHashMap<>();

  public void processed(String tag, long ageMillis) {
    millisByTag.put(tag, Math.max(0, ageMillis));
  }

  /** Per tag running on this node, in milliseconds. */
  public Map<String, Long> byTag() {
    return Map.copyOf(millisByTag);
  }

  /** The largest lag on this node, 0 when nothing was projected yet. */
  public long maxMillis() {
    long max = 0;
    for (long v : millisByTag.values()) max = Math.max(max, v);
    return max;
  }
}
