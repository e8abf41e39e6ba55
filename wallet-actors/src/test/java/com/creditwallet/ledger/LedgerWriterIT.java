package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.notify.ExpiryAlerts;
import com.creditwallet.notify.Notifier;
import com.creditwallet.notify.WebhookStore;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.testing.StoreItSystem;
import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wallet's ledger writer on a real Cassandra node, fed the same events more than once (as a
 * feed does after a failed write, or a new incarnation catching up from the journal): ledger
 * lines, usage totals and notifications must come out exactly as from a single pass.
 */
@ExtendWith(CassandraExtension.class)
class LedgerWriterIT {
  private static final Instant T0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

  private static ActorSystem<Void> system;
  private static CassandraTestKeyspace cassandra;
  /** One writer per wallet, kept across calls like a feed keeps it. */
  private static final Map<String, LedgerWriter> writers = new HashMap<>();
  private static LedgerQueries queries;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    system = StoreItSystem.start(LedgerWriterIT.class, keyspace);
    var session = StoreItSystem.session(system);
    String ks = keyspace.keyspace();
    queries = new LedgerQueries(session, ks);
  }

  @AfterAll
  static void stop() throws Exception {
    StoreItSystem.stop(system);
  }

  private static List<LedgerWriter.Fed> fed(List<WalletEvent> events) {
    List<LedgerWriter.Fed> out = new ArrayList<>();
    long seq = 0;
    for (WalletEvent e : events) {
      seq++;
      out.add(new LedgerWriter.Fed(seq, e, e.at().toEpochMilli()));
    }
    return out;
  }

  private static void process(String walletId, List<LedgerWriter.Fed> group) throws Exception {
    writers.computeIfAbsent(walletId, LedgerWriterIT::freshWriter).write(group).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static List<WalletEvent> journal() {
    return List.of(
        Events.configured(T0, "UTC", Map.of("sms", 100L)),
        Events.granted(T0, "g1", "sms", 500, null, 500),
        Events.reserved(T0.plusMillis(1), "r1", "sms", 450, "g1", "list-7", "camp-1", null, 50),
        Events.committed(T0.plusMillis(2), "r1", "sms", 400, 50, "g1", 100),
        Events.reserved(T0.plusMillis(3), "r2", "sms", 10, "g1", "list-7", "camp-1", null, 90),
        Events.released(T0.plusMillis(4), "r2", "sms", 10, "g1", true, 100));
  }

  private static UsageTotals total(String walletId) throws Exception {
    LocalDate day = T0.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    return queries.usage(walletId, day.minusDays(1), day.plusDays(1)).toCompletableFuture().get(30, TimeUnit.SECONDS)
        .values().stream().reduce(UsageTotals.ZERO, UsageTotals::plus);
  }

  private static int lines(String walletId) throws Exception {
    return queries.page(new LedgerQuery(walletId, null, null, null, null, null, 1000, null))
        .toCompletableFuture().get(30, TimeUnit.SECONDS).entries().size();
  }

  private static long notifications(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      return s.execute("SELECT count(*) FROM wallet_notifications WHERE wallet_id = ?", walletId).one().getLong(0);
    }
  }

  @Test
  void replayingTheSameGroupCountsNothingTwice() throws Exception {
    List<LedgerWriter.Fed> all = fed(journal());
    process("w-replay", all);
    UsageTotals once = total("w-replay");
    assertEquals(new UsageTotals(500, 400, 0, 60, 0), once);
    assertEquals(6, lines("w-replay"));
    // balance.low (50 <= 100), and the hold expiry; 90 -> 100 stays low: no recovery, no second low.
    assertEquals(2, notifications("w-replay"));

    process("w-replay", all);
    process("w-replay", all.subList(2, 5));
    assertEquals(once, total("w-replay"));
    assertEquals(6, lines("w-replay"));
    assertEquals(2, notifications("w-replay"));
  }

  @Test
  void theServicesOwnWalletsKeepALedgerButNeverNotify() throws Exception {
    // The same events that notify twice on a client's wallet (see above) notify nothing on a
    // wallet whose id has a '~' (a node's warm-up wallet), fresh or replayed: a webhook that
    // hears every wallet must not hear the service warming itself up.
    String own = "~warmup-node-0";
    List<LedgerWriter.Fed> all = new ArrayList<>();
    for (LedgerWriter.Fed f : fed(journal())) all.add(new LedgerWriter.Fed(f.seq(), f.event(), f.writtenAtMillis(), true));
    process(own, all);
    process(own, fed(journal()));
    assertEquals(6, lines(own));
    assertEquals(new UsageTotals(500, 400, 0, 60, 0), total(own));
    assertEquals(0, notifications(own));
    assertTrue(LedgerWriter.isInternal(own));
    assertFalse(LedgerWriter.isInternal("w-replay"));
  }

  /** Each notification's stream position, and the one its id claimed, by event id. */
  private static Map<String, List<java.util.UUID>> positions(String walletId) {
    Map<String, List<java.util.UUID>> out = new HashMap<>();
    try (CqlSession s = cassandra.openSession()) {
      for (var r : s.execute("SELECT event_id, position FROM wallet_notifications WHERE wallet_id = ?", walletId)) {
        String id = r.getString("event_id");
        var claimed = s.execute("SELECT position FROM notification_ids WHERE event_id = ?", id).one();
        out.put(id, List.of(r.getUuid("position"), claimed.getUuid("position")));
      }
    }
    return out;
  }

  @Test
  void freshEventsRecordTheirNotificationsOnceAndReplaysOfThemReuseThePositions() throws Exception {
    // A feed's first write of events it was just told takes plain inserts for their
    // notifications; a replay of the same events (a retried group, a new incarnation catching
    // up) goes through the once-only claim and must find what the plain inserts recorded.
    List<LedgerWriter.Fed> all = new ArrayList<>();
    for (LedgerWriter.Fed f : fed(journal())) all.add(new LedgerWriter.Fed(f.seq(), f.event(), f.writtenAtMillis(), true));
    process("w-fresh", all);
    assertEquals(2, notifications("w-fresh"));
    Map<String, List<java.util.UUID>> first = positions("w-fresh");
    assertEquals(2, first.size());
    first.values().forEach(p -> assertEquals(p.get(0), p.get(1), "the stream position is the one its id records"));

    forgetCommit("w-fresh");
    List<LedgerWriter.Fed> replayed = all.stream().map(LedgerWriter.Fed::replayed).toList();
    freshWriter("w-fresh").write(replayed).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(2, notifications("w-fresh"));
    assertEquals(first, positions("w-fresh"));
  }

  /**
   * As if the read side's commit (totals, read state and watermark, one partition) had never
   * landed: the next writer projects every event again from the start.
   */
  private static void forgetCommit(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      s.execute("DELETE FROM usage_totals WHERE wallet_id = ?", walletId);
    }
  }

  @Test
  void aReplayOverlappingTheLastGroupCountsOnlyTheNewEvents() throws Exception {
    List<LedgerWriter.Fed> all = fed(journal());
    process("w-overlap", all.subList(0, 3));
    process("w-overlap", all.subList(1, 5)); // a write failed after event 2 was counted: events 2 and 3 come again
    process("w-overlap", all.subList(3, 6));
    assertEquals(new UsageTotals(500, 400, 0, 60, 0), total("w-overlap"));
    assertEquals(6, lines("w-overlap"));
    assertEquals(2, notifications("w-overlap"));
  }

  @Test
  void aNewInstanceContinuesFromWhatAnotherInstanceCounted() throws Exception {
    // Incarnation A's writer counts the first events and keeps them in its cache; the wallet
    // then moves to a new incarnation B, whose writer must read A's totals and state from the
    // tables, then use its own cache for its next group.
    List<WalletEvent> events = new ArrayList<>(journal());
    events.add(Events.reserved(T0.plusMillis(5), "r3", "sms", 5, "g1", null, null, null, 95));
    events.add(Events.committed(T0.plusMillis(6), "r3", "sms", 5, 0, "g1", 95));
    List<LedgerWriter.Fed> all = fed(events);
    process("w-handover", all.subList(0, 3));
    LedgerWriter b = freshWriter("w-handover");
    b.write(all.subList(3, 6)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    b.write(all.subList(6, 8)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(new UsageTotals(500, 405, 0, 60, 0), total("w-handover"));
    assertEquals(8, lines("w-handover"));
    // A reservation without sub-budget, reference or operation has nothing to remember.
    try (CqlSession s = cassandra.openSession()) {
      assertEquals(0, s.execute("SELECT count(*) FROM ledger_reservations WHERE wallet_id = ? AND reservation_id = ?",
          "w-handover", "r3").one().getLong(0));
      assertEquals(1, s.execute("SELECT count(*) FROM ledger_reservations WHERE wallet_id = ? AND reservation_id = ?",
          "w-handover", "r1").one().getLong(0));
    }
  }

  private static LedgerWriter freshWriter(String walletId) {
    return writer(walletId, false);
  }

  /** A writer as a feed makes it: groups that only move the watermark leave it for a flush. */
  private static LedgerWriter writer(String walletId, boolean deferWatermark) {
    var session = StoreItSystem.session(system);
    String ks = cassandra.keyspace();
    return new LedgerWriter(walletId, new LedgerStore(session, ks),
        new Notifier(session, ks, new WebhookStore(session, ks), id -> { }, Clock.systemUTC()),
        new ExpiryAlerts(session, ks, 4, Duration.ofDays(7), Clock.systemUTC()), deferWatermark);
  }

  private static long storedWatermark(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      return s.execute("SELECT watermark FROM usage_totals WHERE wallet_id = ? LIMIT 1", walletId).one().getLong(0);
    }
  }

  private static void write(LedgerWriter writer, List<LedgerWriter.Fed> group) throws Exception {
    writer.write(group).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aReservationLeavesTheStoredWatermarkBehindUntilAFlushOrTotalsCarryIt() throws Exception {
    // Small reservations, far above the low-balance threshold: they change no read state.
    List<LedgerWriter.Fed> all = fed(List.of(
        Events.configured(T0, "UTC", Map.of("sms", 100L)),
        Events.granted(T0, "g1", "sms", 500, null, 500),
        Events.reserved(T0.plusMillis(1), "ra", "sms", 5, "g1", null, null, null, 495),
        Events.committed(T0.plusMillis(2), "ra", "sms", 5, 0, "g1", 495),
        Events.reserved(T0.plusMillis(3), "rb", "sms", 5, "g1", null, null, null, 490)));
    LedgerWriter w = writer("w-defer", true);
    write(w, all.subList(0, 2)); // settings and a grant: the state and the totals change
    assertEquals(2, storedWatermark("w-defer"));
    assertFalse(w.lagging());
    int before = lines("w-defer");

    write(w, all.subList(2, 3)); // a reservation: a ledger line, nothing for the usage report
    assertEquals(before + 1, lines("w-defer"), "its line is written at once");
    assertEquals(2, storedWatermark("w-defer"), "its watermark is not");
    assertTrue(w.lagging());
    assertEquals(3L, w.watermark().toCompletableFuture().get(30, TimeUnit.SECONDS), "the writer counts it all the same");

    // A crash now: the next incarnation's writer starts from the stored watermark, projects the
    // reservation again, and the commit's totals carry the watermark of both events.
    LedgerWriter next = writer("w-defer", true);
    write(next, all.subList(2, 4));
    assertEquals(4, storedWatermark("w-defer"));
    assertFalse(next.lagging());
    assertEquals(new UsageTotals(500, 5, 0, 0, 0), total("w-defer"));
    assertEquals(before + 2, lines("w-defer"), "the replayed reservation's line was rewritten, not added");

    // One more reservation alone, then the feed's flush: only the watermark is written.
    write(next, all.subList(4, 5));
    assertEquals(4, storedWatermark("w-defer"));
    next.flushWatermark().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(5, storedWatermark("w-defer"));
    assertFalse(next.lagging());
    assertEquals(new UsageTotals(500, 5, 0, 0, 0), total("w-defer"), "the flush changed no totals");
    assertEquals(before + 3, lines("w-defer"));
  }

  @Test
  void commitsProjectedInALaterGroupStillKnowTheirSubBudget() throws Exception {
    List<LedgerWriter.Fed> all = fed(journal());
    process("w-later", all.subList(0, 3));
    // A fresh writer (as after a restart) has no cache: the reservation comes from its table.
    LedgerWriter fresh = freshWriter("w-later");
    fresh.write(all.subList(3, 4)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    LedgerPage page = queries.page(new LedgerQuery("w-later", null, null, null, "list-7", null, 100, null))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("RESERVED", "COMMITTED", "RELEASED"), page.entries().stream().map(LedgerEntry::type).toList());
    assertEquals("camp-1", page.entries().get(1).reference());
  }
}
