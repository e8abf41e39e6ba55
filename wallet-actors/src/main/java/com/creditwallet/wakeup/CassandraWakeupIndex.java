package com.creditwallet.wakeup;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wake-up index in Cassandra: table {@code wallet_wakeups}, partitioned by slice, clustered
 * by instant, so each {@link WakeupPoller} reads only what is due in its slice. It shares the
 * journal's driver session.
 */
public final class CassandraWakeupIndex implements WakeupIndex {
  private static final Logger log = LoggerFactory.getLogger(CassandraWakeupIndex.class);

  private final CassandraSession session;
  private final int slices;
  private final CompletionStage<PreparedStatement> insert;

  public CassandraWakeupIndex(ActorSystem<?> system, String keyspace, int slices) {
    this.session =
        CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    this.slices = slices;
    this.insert = session.prepare(
        "INSERT INTO " + keyspace + ".wallet_wakeups (slice, wake_at, wallet_id) VALUES (?, ?, ?)");
  }

  public static int slice(String walletId, int slices) {
    return Math.floorMod(walletId.hashCode(), slices);
  }

  @Override
  public void schedule(String walletId, Instant at) {
    insert
        .thenCompose(ps -> session.executeWrite(ps.bind(slice(walletId, slices), at, walletId)))
        .whenComplete((done, failure) -> {
          // The in-memory timer still covers a live wallet; the next change retries the write.
          if (failure != null) log.warn("could not index the next deadline of wallet {}: {}", walletId, failure.toString());
        });
  }
}
