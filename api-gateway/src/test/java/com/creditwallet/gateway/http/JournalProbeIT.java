package com.creditwallet.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The readiness probe's writer on the real Cassandra journal. The wallets' journal instance has
 * deletes off; the probe writes through its own instance, so its snapshots still delete its old
 * events (its partition would otherwise grow by a row per readiness write, forever) and it still
 * recovers after that.
 */
@ExtendWith(CassandraExtension.class)
class JournalProbeIT {
  private static final Duration ASK = Duration.ofSeconds(30);
  private static final String NODE = "probe-it:1";
  private static ActorTestKit kit;
  private static CassandraTestKeyspace cassandra;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    kit = ActorTestKit.create("JournalProbeIT", keyspace.actorSystemConfig());
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.shutdownTestKit();
  }

  private static void write(ActorRef<JournalProbe.Writer.Write> writer) {
    AskPattern.<JournalProbe.Writer.Write, Done>ask(writer, JournalProbe.Writer.Write::new, ASK, kit.system().scheduler())
        .toCompletableFuture().join();
  }

  /** {@code where}: the rest of the key after the persistence id (the journal's partition number). */
  private static List<Long> sequenceNumbers(CqlSession session, String table, String column, String where) {
    List<Long> out = new ArrayList<>();
    for (Row r : session.execute("SELECT " + column + " FROM " + cassandra.keyspace() + "." + table
        + " WHERE persistence_id = '~journal-probe|" + NODE + "'" + where)) {
      out.add(r.getLong(0));
    }
    return out;
  }

  @Test
  void snapshotsDeleteTheProbesOldEventsAndItRecoversAfterwards() {
    assertFalse(kit.system().settings().config().getBoolean("pekko.persistence.cassandra.journal.support-deletes"),
        "the wallets' journal reads no deleted_to on recovery");
    ActorRef<JournalProbe.Writer.Write> writer = kit.spawn(JournalProbe.Writer.create(NODE));
    int writes = 2 * JournalProbe.SNAPSHOT_EVERY + 1;
    for (int i = 0; i < writes; i++) write(writer);

    try (CqlSession session = cassandra.openSession()) {
      // The delete follows the second snapshot asynchronously: every event up to the first goes.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<Long> left = sequenceNumbers(session, "messages", "sequence_nr", " AND partition_nr = 0");
      while (left.stream().anyMatch(n -> n <= JournalProbe.SNAPSHOT_EVERY) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        left = sequenceNumbers(session, "messages", "sequence_nr", " AND partition_nr = 0");
      }
      assertTrue(left.stream().noneMatch(n -> n <= JournalProbe.SNAPSHOT_EVERY),
          "events before the older kept snapshot are deleted: " + left);
      assertTrue(left.contains((long) writes), "the latest event is kept: " + left);
      assertEquals(List.of((long) JournalProbe.SNAPSHOT_EVERY), sequenceNumbers(session, "metadata", "deleted_to", ""));
    }

    kit.stop(writer);
    ActorRef<JournalProbe.Writer.Write> recovered = kit.spawn(JournalProbe.Writer.create(NODE));
    write(recovered);
  }
}
