package com.creditwallet.wakeup;

import com.creditwallet.cassandra.Prepared;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The wake-up index in Cassandra: table {@code wallet_wakeups_by_time}, laid out by
 * {@link WakeupLayout}, each row written with a TTL (never deleted). It shares the journal's
 * driver session.
 */
public final class CassandraWakeupIndex implements WakeupIndex {
  private final CassandraSession session;
  private final WakeupLayout layout;
  private final Clock clock;
  private final Prepared insert;

  public CassandraWakeupIndex(ActorSystem<?> system, String keyspace, WakeupLayout layout, Clock clock) {
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    this.layout = layout;
    this.clock = clock;
    this.insert = new Prepared(session, "INSERT INTO " + keyspace + ".wallet_wakeups_by_time (bucket, shard, wake_at, wallet_id)"
        + " VALUES (?, ?, ?, ?) USING TTL ?");
  }

  @Override
  public CompletionStage<Instant> schedule(String walletId, Instant at) {
    Instant now = clock.instant();
    Instant indexed = layout.indexedAt(at, now);
    return insert.get()
        .thenCompose(ps -> session.executeWrite(ps.bind(
            layout.bucketOf(indexed), layout.shardOf(walletId), indexed, walletId, layout.ttlSeconds(indexed, now))))
        .thenApply(done -> indexed);
  }
}
