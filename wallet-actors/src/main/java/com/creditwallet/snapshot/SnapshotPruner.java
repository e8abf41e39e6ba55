package com.creditwallet.snapshot;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Deletes a wallet's snapshots older than a sequence number.
 *
 * <p>Why it exists: snapshots sized by {@link SnapshotPolicy} are taken by a predicate, and Pekko
 * only deletes old snapshots for its fixed-interval retention. The wallet keeps its two latest
 * snapshots (the older one in case the newer cannot be read) and prunes the rest itself. The
 * journal is never pruned: it is the ledger.
 */
public interface SnapshotPruner {

  /** Deletes the snapshots of {@code persistenceId} with a sequence number below {@code sequenceNr}. */
  CompletionStage<Done> deleteBefore(String persistenceId, long sequenceNr);

  /** Keeps every snapshot (tests on the in-memory snapshot store). */
  SnapshotPruner NONE = (persistenceId, sequenceNr) -> CompletableFuture.completedFuture(Done.getInstance());
}
