package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.Schema;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.testing.StoreItSystem;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cheaper commit of most read-side groups, against a real Cassandra: only the watermark when
 * the rest of the wallet's read state has not changed, and what is read back is still whole.
 */
@ExtendWith(CassandraExtension.class)
class LedgerStoreIT {
  private static ActorSystem<Void> system;
  private static CassandraTestKeyspace cassandra;
  private static LedgerStore store;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    system = StoreItSystem.start(LedgerStoreIT.class, keyspace);
    store = new LedgerStore(StoreItSystem.session(system), keyspace.keyspace());
  }

  @AfterAll
  static void stop() throws Exception {
    StoreItSystem.stop(system);
  }

  @Test
  void aGroupThatOnlyMovesTheWatermarkWritesOnlyTheWatermark() throws Exception {
    String w = "watermark-only";
    LocalDate day = LocalDate.parse("2026-12-05");
    UsageKey sms = new UsageKey(day, "sms", "", "");
    WalletReadState first = new WalletReadState(3, "Europe/Paris", Map.of("sms", 100L), Set.of("push"), Set.of(), Set.of());
    store.commit(w, Map.of(sms, new UsageTotals(0, 1, 0, 0, 0)), first, WalletReadState.NEW)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    long stateWritten = writetimeOfTimeZone(w);

    WalletReadState second = first.withWatermark(9);
    store.commit(w, Map.of(sms, new UsageTotals(0, 2, 0, 0, 0)), second, first).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(second, store.state(w).toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(stateWritten, writetimeOfTimeZone(w), "the unchanged state was not written again");

    WalletReadState third = new WalletReadState(12, "Europe/Paris", Map.of("sms", 100L), Set.of("push"), Set.of("sms"), Set.of());
    store.commit(w, Map.of(sms, new UsageTotals(0, 3, 0, 0, 0)), third, second).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(third, store.state(w).toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(Map.of(sms, new UsageTotals(0, 3, 0, 0, 0)),
        store.totals(w, Set.of(day)).toCompletableFuture().get(30, TimeUnit.SECONDS));

    // A first commit whose state is the default one writes only the watermark, and reads back whole.
    WalletReadState defaults = WalletReadState.NEW.withWatermark(4);
    store.commit("watermark-only-new", Map.of(), defaults, WalletReadState.NEW).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(defaults, store.state("watermark-only-new").toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  /**
   * A line's absent fields (no sub-budget, reference, operation, detail: most single sends) are
   * left unset, not bound to null: a bound null is a tombstone cell in every line, which every
   * ledger read then skips and counts towards Cassandra's tombstone thresholds.
   */
  @Test
  void absentFieldsOfALineAreNotWrittenAsTombstones() throws Exception {
    String w = "no-tombstones";
    Instant at = Instant.parse("2026-12-06T00:20:00Z");
    LedgerEntry line = new LedgerEntry(w, 7, 0, at, LedgerEntry.RESERVED, "sms", -1, "g1", "r1", null, null, null, 99L,
        null);
    store.writeLines(w, List.of(line), Set.of(LedgerStore.month(at)), Map.of("r1", new ReservationInfo("team", null, null)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);

    try (CqlSession s = cassandra.openSession()) {
      assertEquals(0, tombstonesRead(s, "SELECT * FROM ledger_entries WHERE wallet_id = ? AND month = ?", w,
          LedgerStore.month(at)));
      assertEquals(0, tombstonesRead(s, "SELECT * FROM ledger_reservations WHERE wallet_id = ? AND reservation_id = ?", w, "r1"));
      Row r = s.execute("SELECT sub_budget, detail, available, line FROM ledger_entries WHERE wallet_id = ?"
          + " AND month = ?", w, LedgerStore.month(at)).one();
      assertNull(r.getString("sub_budget"));
      assertNull(r.getString("detail"));
      assertTrue(r.isNull("available"), "the line's values are in its one cell, not in the columns");
      assertEquals(line, LedgerLineCell.decode(w, 7, 0, at, r.getByteBuffer("line")));
    }
    assertEquals(Map.of("r1", new ReservationInfo("team", null, null)),
        store.reservations(w, Set.of("r1")).toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  /**
   * A keyspace of a build before the line cell: the schema adds the column, lines already written
   * in columns and lines written since in one cell list together in order, and a line rewritten
   * in the other shape (a replay) lists once with the same values. A store told to write columns
   * (for a rolling upgrade) writes what the earlier build reads.
   */
  @Test
  void linesWrittenInColumnsByAnEarlierBuildListWithLinesInOneCell() throws Exception {
    String ks = "ledger_upgrade_" + Long.toHexString(System.nanoTime());
    String w = "upgraded";
    Instant t0 = Instant.parse("2026-12-08T01:00:00Z");
    LedgerEntry old1 = new LedgerEntry(w, 1, 0, t0, LedgerEntry.GRANTED, "sms", 100, "g1", null, null, null, null, 100L,
        "plan");
    LedgerEntry old2 = new LedgerEntry(w, 2, 0, t0.plusSeconds(1), LedgerEntry.RESERVED, "sms", -3, "g1", "r1", "team",
        "campaign-7", "send", 97L, null);
    LedgerEntry new1 = new LedgerEntry(w, 3, 0, t0.plusSeconds(2), LedgerEntry.COMMITTED, "sms", 0, "g1", "r1", "team",
        "campaign-7", "send", null, null);
    LedgerEntry new2 = new LedgerEntry(w, 4, 1, t0.plusSeconds(3), LedgerEntry.RESERVED, "sms", -1, null, "r2", null, null,
        null, 96L, null);
    String month = LedgerStore.month(t0);
    try (CqlSession s = cassandra.openSession()) {
      // The earlier build's schema: every statement as this build has it, the ledger without 'line'.
      List<String> earlier = Schema.statements(ks, 1).stream()
          .filter(st -> !st.startsWith("ALTER TABLE"))
          .map(st -> st.replace("  line blob,\n", "")).toList();
      assertTrue(earlier.stream().noneMatch(st -> st.contains("line blob")), "the earlier schema has no line cell");
      for (String st : earlier) s.execute(SimpleStatement.newInstance(st).setTimeout(Duration.ofSeconds(60)));
      try {
        var session = StoreItSystem.session(system);
        new LedgerStore(session, ks, false).writeLines(w, List.of(old1, old2), Set.of(month), Map.of())
            .toCompletableFuture().get(30, TimeUnit.SECONDS);

        Schema.apply(s, ks, 1);
        LedgerStore upgraded = new LedgerStore(session, ks);
        upgraded.writeLines(w, List.of(new1, new2), Set.of(), Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        // A replay of the second event rewrites its line in one cell over its columns.
        upgraded.writeLines(w, List.of(old2), Set.of(), Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);

        LedgerQueries queries = new LedgerQueries(session, ks);
        LedgerPage page = queries.page(new LedgerQuery(w, null, null, null, null, null, 10, null))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(old1, old2, new1, new2), page.entries());
        LedgerPage team = queries.page(new LedgerQuery(w, null, null, null, "team", null, 10, null))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(old2, new1), team.entries());
        Row cells = s.execute("SELECT type, line FROM " + ks + ".ledger_entries WHERE wallet_id = ? AND month = ?"
            + " AND at = ? AND seq = 1 AND idx = 0", w, month, t0).one();
        assertEquals(LedgerEntry.GRANTED, cells.getString("type"), "the columns' store wrote columns");
        assertTrue(cells.isNull("line"), "and no cell");
      } finally {
        s.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + ks).setTimeout(Duration.ofSeconds(60)));
      }
    }
  }

  /**
   * The tombstone cells Cassandra read for {@code cql}, from its own trace of the query. Cassandra
   * writes a trace's events in the background, so they are polled for until the read count is
   * there: the driver's own trace fetch gives up after about 15 ms, too soon on a busy machine.
   */
  private static int tombstonesRead(CqlSession s, String cql, Object... values) throws InterruptedException {
    UUID session = s.execute(SimpleStatement.newInstance(cql, values).setTracing(true)).getExecutionInfo()
        .getTracingId();
    Pattern read = Pattern.compile("Read (\\d+) live rows and (\\d+) tombstone cells");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = s.execute("SELECT activity FROM system_traces.events WHERE session_id = ?", session).all().stream()
          .map(r -> r.getString("activity") == null ? "" : r.getString("activity")).toList();
      for (String activity : seen) {
        Matcher m = read.matcher(activity);
        if (m.find()) {
          assertEquals(1, Integer.parseInt(m.group(1)), activity);
          return Integer.parseInt(m.group(2));
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no read count within 30 s in the trace of " + cql + ": " + seen);
  }

  private static long writetimeOfTimeZone(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      return s.execute("SELECT writetime(time_zone) FROM usage_totals WHERE wallet_id = ?", walletId).one().getLong(0);
    }
  }
}
