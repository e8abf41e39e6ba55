package com.creditwallet.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.testing.StoreItSystem;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Prepared#bindPresent} keeps each column's codec after its first value: rows bound one
 * after another, with columns present in one and absent in the next, read back exactly as bound,
 * and a value of the wrong type is still refused as the driver refuses it.
 */
@ExtendWith(CassandraExtension.class)
class PreparedIT {
  private static ActorSystem<Void> system;
  private static CassandraTestKeyspace cassandra;
  private static CassandraSession session;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    system = StoreItSystem.start(PreparedIT.class, keyspace);
    session = StoreItSystem.session(system);
    try (CqlSession s = keyspace.openSession()) {
      s.execute("CREATE TABLE IF NOT EXISTS prepared_rows (k text PRIMARY KEY, at timestamp, n bigint, i int, note text)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    StoreItSystem.stop(system);
  }

  @Test
  void rowsBoundOneAfterAnotherReadBackAsBound() throws Exception {
    Prepared insert = new Prepared(session, "INSERT INTO " + cassandra.keyspace()
        + ".prepared_rows (k, at, n, i, note) VALUES (?, ?, ?, ?, ?)");
    PreparedStatement ps = insert.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Instant at = Instant.parse("2026-12-07T01:00:00Z");
    for (int r = 0; r < 20; r++) {
      // Every third row has no note and every fifth no number: the codecs kept from the rows
      // before must not leak a value into a column left unset.
      String note = r % 3 == 0 ? null : "note-" + r;
      Long n = r % 5 == 0 ? null : 1_000_000_000_000L + r;
      session.executeWrite(insert.bindPresent(ps, "row-" + r, at.plusSeconds(r), n, r, note))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    try (CqlSession s = cassandra.openSession()) {
      for (int r = 0; r < 20; r++) {
        Row row = s.execute("SELECT at, n, i, note FROM prepared_rows WHERE k = ?", "row-" + r).one();
        assertEquals(at.plusSeconds(r), row.getInstant("at"));
        assertEquals(r, row.getInt("i"));
        if (r % 5 == 0) {
          assertNull(row.getObject("n"), "row " + r);
        } else {
          assertEquals(1_000_000_000_000L + r, row.getLong("n"));
        }
        assertEquals(r % 3 == 0 ? null : "note-" + r, row.getString("note"));
      }
    }
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedAfterTheColumnsCodecIsKept() throws Exception {
    Prepared insert = new Prepared(session, "INSERT INTO " + cassandra.keyspace()
        + ".prepared_rows (k, n) VALUES (?, ?)");
    PreparedStatement ps = insert.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
    session.executeWrite(insert.bindPresent(ps, "typed", 7L)).toCompletableFuture().get(30, TimeUnit.SECONDS);

    // An int for a bigint column: the driver's own binding has no codec for it either.
    assertThrows(CodecNotFoundException.class, () -> insert.bindPresent(ps, "typed", 8));

    session.executeWrite(insert.bindPresent(ps, "typed", 9L)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (CqlSession s = cassandra.openSession()) {
      assertEquals(9L, s.execute("SELECT n FROM prepared_rows WHERE k = ?", "typed").one().getLong("n"));
    }
  }
}
