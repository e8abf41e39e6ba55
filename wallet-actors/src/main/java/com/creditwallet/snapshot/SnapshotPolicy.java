package com.creditwallet.snapshot;

/**
 * When a wallet takes a snapshot: after at least {@code every} events, and never before as many
 * events as its previous snapshot had entries (reservations and grants in memory).
 *
 * <p>Why it scales with the state: a snapshot costs in proportion to what it holds, and a fixed
 * interval made that cost grow without bound per event. A hot wallet collecting 30,000 open holds
 * serialized all of them every 500 events, which took over a third of the node's CPU under load.
 * Waiting as many events as the last snapshot had entries keeps the snapshot cost per event
 * bounded (about one entry's serialization, amortized), and recovery stays proportional to the
 * state: one snapshot of N entries plus about N events (or {@code every} for small wallets).
 */
public record SnapshotPolicy(int every) {

  public SnapshotPolicy {
    if (every < 1) throw new IllegalArgumentException("snapshot interval must be at least 1, was " + every);
  }

  /** Whether {@code eventsSince} events after a snapshot of {@code lastWeight} entries warrant a new one. */
  public boolean due(long eventsSince, int lastWeight) {
    return eventsSince >= Math.max(every, lastWeight);
  }
}
