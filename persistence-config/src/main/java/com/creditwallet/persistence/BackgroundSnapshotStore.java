package com.creditwallet.persistence;

import com.typesafe.config.Config;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.cassandra.snapshot.CassandraSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;

/**
 * The Cassandra snapshot store, except that a snapshot is acknowledged as soon as it is handed
 * over, and serialized, compressed and written in the background.
 *
 * <p>Why: Pekko's event-sourced entity stashes every command from the moment it asks for a
 * snapshot until the store acknowledges it. A hot wallet with tens of thousands of open holds
 * takes a snapshot of a few MB every few tens of seconds, and on a 2-core node serializing it
 * took hundreds of milliseconds: every call that arrived meanwhile waited, which was most of the
 * p99 of single reservations (35 ms with snapshots off against 86 ms with them).
 *
 * <p>Why it is safe: the wallets' journal is never pruned (it is the ledger), so a snapshot only
 * saves recovery time. If a background write fails, it is logged and the wallet recovers from
 * its previous snapshot, or from the start of its journal, plus the events after it; the wallet
 * keeps its two latest snapshots and prunes only those before the older one. Any store that
 * deletes events after a snapshot must not use this class.
 *
 * <p>At most {@code max-background-writes} snapshots are written in the background at once (the
 * states they hold and their bytes stay in memory until written); beyond that a snapshot is
 * acknowledged only once written, as by the plain store, so a slow Cassandra slows the
 * snapshotting wallets down instead of filling the heap.
 */
public class BackgroundSnapshotStore extends CassandraSnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundSnapshotStore.class);
    private static final Future<BoxedUnit> DONE = Future.successful(BoxedUnit.UNIT);

    private final int maxBackgroundWrites;
    private final AtomicInteger writing = new AtomicInteger();

    /** Pekko instantiates snapshot plugins with their config and config path. */
    public BackgroundSnapshotStore(Config cfg, String cfgPath) {
        super(cfg, cfgPath);
        // One default, in wallet-persistence.conf; a plugin instance without it fails at start.
        this.maxBackgroundWrites = cfg.getInt("max-background-writes");
        if (maxBackgroundWrites < 0) {
            throw new IllegalArgumentException(cfgPath + ".max-background-writes must be 0 or more, was " + maxBackgroundWrites);
        }
    }

    @Override
    public Future<BoxedUnit> saveAsync(SnapshotMetadata metadata, Object snapshot) {
        Future<BoxedUnit> write = super.saveAsync(metadata, snapshot);
        if (write.isCompleted()) return write;
        boolean background = writing.incrementAndGet() <= maxBackgroundWrites;
        FutureConverters.asJava(write).whenComplete((done, failure) -> {
            writing.decrementAndGet();
            if (failure != null && background) {
                // Only the metadata: a snapshot's content never goes to the log.
                LOG.warn("snapshot of {} at {} was not written (the journal still has every event): {}",
                        metadata.persistenceId(), metadata.sequenceNr(), failure.toString());
            }
        });
        return background ? DONE : write;
    }
}
