package com.creditwallet.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.ReservationArchive.Row;
import com.creditwallet.persistence.Schema;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.testing.StoreItSystem;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archive on a real Cassandra node, through the journal's own session as the service uses
 * it: round trips, large finds, upserts, TTL expiry, wallet isolation and failures.
 */
@ExtendWith(CassandraExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CassandraReservationArchiveIT {
  private static final Duration RETENTION = Duration.ofDays(35);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static CassandraTestKeyspace cassandra;
  private static ActorSystem<Void> system;
  private static CassandraReservationArchive archive;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    system = StoreItSystem.start(CassandraReservationArchiveIT.class, keyspace);
    archive = new CassandraReservationArchive(system, keyspace.keyspace(), RETENTION);
  }

  @AfterAll
  static void stop() throws Exception {
    StoreItSystem.stop(system);
  }

  @Test
  void storedRowsAreFoundWithTheirPayloadsAndTheRetentionAsTtl() throws Exception {
    await(archive.store("w-round", List.of(row("r-1", "one"), row("r-2", "two"), row("r-3", ""))));
    Map<String, byte[]> found = await(archive.find("w-round", List.of("r-1", "r-2", "r-3")));
    assertEquals(Set.of("r-1", "r-2", "r-3"), found.keySet());
    assertArrayEquals(bytes("one"), found.get("r-1"));
    assertArrayEquals(bytes("two"), found.get("r-2"));
    assertArrayEquals(new byte[0], found.get("r-3"));
    try (CqlSession session = cassandra.openSession()) {
      com.datastax.oss.driver.api.core.cql.Row row = session.execute(
          "SELECT TTL(payload), archived_at FROM archived_reservations WHERE wallet_id = ? AND reservation_id = ?",
          "w-round", "r-1").one();
      int ttl = row.getInt(0);
      assertTrue(ttl <= RETENTION.toSeconds() && ttl > RETENTION.toSeconds() - 120, "TTL " + ttl);
      assertTrue(Duration.between(row.getInstant(1), Instant.now()).abs().toMinutes() < 2, "archived_at");
    }
  }

  @Test
  void findAnswersOnlyTheArchivedIds() throws Exception {
    await(archive.store("w-mix", List.of(row("a", "A"), row("c", "C"))));
    Map<String, byte[]> found = await(archive.find("w-mix", List.of("a", "b", "c", "d", "a")));
    assertEquals(Set.of("a", "c"), found.keySet());
    assertArrayEquals(bytes("C"), found.get("c"));
    assertEquals(Map.of(), await(archive.find("w-mix", List.of("x", "y"))));
  }

  @Test
  void twoThousandIdsInOneFind() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) rows.add(row("res-" + i, "payload-" + i));
    await(archive.store("w-many", rows));
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.reservationId()));
    ids.add("res-absent");
    Map<String, byte[]> found = await(archive.find("w-many", ids));
    assertEquals(2000, found.size());
    for (int i = 0; i < 2000; i++) {
      assertArrayEquals(bytes("payload-" + i), found.get("res-" + i), "res-" + i);
    }
  }

  @Test
  void manyLargeRowsAreWrittenAndReadBack() throws Exception {
    // 150 rows of 2 KB: each its own insert, nothing near Cassandra's batch or mutation limits.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; rows.size() < 150; i++) {
      byte[] payload = new byte[2048];
      payload[0] = (byte) rows.size();
      rows.add(new Row("same-" + i, payload));
    }
    await(archive.store("w-partition", rows));
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.reservationId()));
    Map<String, byte[]> found = await(archive.find("w-partition", ids));
    assertEquals(150, found.size());
    rows.forEach(r -> assertArrayEquals(r.payload(), found.get(r.reservationId()), r.reservationId()));
  }

  @Test
  void storingAgainKeepsTheLatestPayload() throws Exception {
    await(archive.store("w-upsert", List.of(row("r-1", "first"))));
    await(archive.store("w-upsert", List.of(row("r-1", "second"))));
    assertArrayEquals(bytes("second"), await(archive.find("w-upsert", List.of("r-1"))).get("r-1"));
    await(archive.store("w-upsert", List.of(row("r-2", "old"), row("r-2", "new"))));
    assertArrayEquals(bytes("new"), await(archive.find("w-upsert", List.of("r-2"))).get("r-2"), "last row of a call wins");
  }

  @Test
  void rowsVanishAfterTheirTtl() throws Exception {
    CassandraReservationArchive shortLived = new CassandraReservationArchive(system, cassandra.keyspace(), Duration.ofSeconds(5));
    await(shortLived.store("w-ttl", List.of(row("r-1", "soon gone"), row("r-2", "soon gone too"))));
    assertEquals(Set.of("r-1", "r-2"), await(shortLived.find("w-ttl", List.of("r-1", "r-2"))).keySet());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, byte[]> left = await(shortLived.find("w-ttl", List.of("r-1", "r-2")));
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100); // poll interval, not a wait for the result
      left = await(shortLived.find("w-ttl", List.of("r-1", "r-2")));
    }
    assertEquals(Set.of(), left.keySet(), "expired rows are no longer found");
  }

  @Test
  void walletsDoNotSeeEachOthersRows() throws Exception {
    await(archive.store("w-alice", List.of(row("shared-id", "alice's"))));
    await(archive.store("w-bob", List.of(row("shared-id", "bob's"))));
    assertArrayEquals(bytes("alice's"), await(archive.find("w-alice", List.of("shared-id"))).get("shared-id"));
    assertArrayEquals(bytes("bob's"), await(archive.find("w-bob", List.of("shared-id"))).get("shared-id"));
    assertEquals(Map.of(), await(archive.find("w-carol", List.of("shared-id"))));
  }

  @Test
  void emptyCallsCompleteAtOnceWithoutCassandra() throws Exception {
    assertEquals(Map.of(), await(archive.find("w-empty", List.of())));
    // This one's table does not exist: any statement would fail, so these never reach Cassandra.
    CassandraReservationArchive nowhere = new CassandraReservationArchive(system, "no_such_keyspace", RETENTION);
    CompletionStage<Map<String, byte[]>> find = nowhere.find("w-empty", List.of());
    assertTrue(find.toCompletableFuture().isDone());
    assertEquals(Map.of(), await(find));
    assertTrue(nowhere.store("w-empty", List.of()).toCompletableFuture().isDone());
  }

  @Test
  void failedWritesFailTheStoreAndPreparingIsRetried() throws Exception {
    String keyspace = "archive_late_" + Long.toString(System.nanoTime() % 1_000_000, 36);
    CassandraReservationArchive early = new CassandraReservationArchive(system, keyspace, RETENTION);
    assertThrows(ExecutionException.class, () -> await(early.store("w-late", List.of(row("r-1", "x")))));
    assertThrows(ExecutionException.class, () -> await(early.find("w-late", List.of("r-1"))));
    try (CqlSession session = cassandra.openSession()) {
      List<String> ddl = new ArrayList<>(Schema.statements("keyspace.cql", keyspace, 1));
      ddl.addAll(Schema.statements("archive.cql", keyspace, 1));
      for (String cql : ddl) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(TIMEOUT));
      }
      try {
        await(early.store("w-late", List.of(row("r-1", "x"))));
        assertArrayEquals(bytes("x"), await(early.find("w-late", List.of("r-1"))).get("r-1"));
      } finally {
        session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(TIMEOUT));
      }
    }
  }

  @Test
  void aTtlMustBePositive() {
    assertThrows(IllegalArgumentException.class,
        () -> new CassandraReservationArchive(system, cassandra.keyspace(), Duration.ZERO));
  }

  @Test
  @Order(1) // first, so that the timing is of a cold archive and JVM
  void timingOfTenThousandStoresAndOneThousandFinds() throws Exception {
    List<Row> rows = new ArrayList<>();
    byte[] payload = new byte[500];
    for (int i = 0; i < 10_000; i++) {
      payload[i % payload.length]++;
      rows.add(new Row("timed-" + i, payload.clone()));
    }
    await(archive.find("w-timed", List.of("connect"))); // the session connects on first use: not timed
    long start = System.nanoTime();
    await(archive.store("w-timed", rows));
    long storeMs = (System.nanoTime() - start) / 1_000_000;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i += 10) {
      ids.add("timed-" + i);
    }
    start = System.nanoTime();
    Map<String, byte[]> found = await(archive.find("w-timed", ids));
    long findMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1000, found.size());
    assertArrayEquals(rows.get(10).payload(), found.get("timed-10"));
    System.out.printf("CassandraReservationArchiveIT timing (a single cold run on this machine, session connected,"
        + " not a benchmark):"
        + " store 10,000 rows of 500 B: %d ms; find 1,000 ids: %d ms%n", storeMs, findMs);
  }

  private static Row row(String id, String payload) {
    return new Row(id, bytes(payload));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
