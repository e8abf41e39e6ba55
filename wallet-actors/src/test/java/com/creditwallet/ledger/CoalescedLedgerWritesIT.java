package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.cassandra.WriteCoalescer;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many wallets' read-side writes sharing requests, against a real Cassandra: every row lands,
 * the requests are as few as the settings allow, and Cassandra warns about none of them (with its
 * default thresholds, which production clusters keep, it would log and send back a warning for
 * each batch too large or spread over too many partitions). And the cheaper commit of most
 * groups: only the watermark, when the rest of the wallet's read state has not changed.
 */
@ExtendWith(CassandraExtension.class)
class CoalescedLedgerWritesIT {
  private static final int WALLETS = 95;

  private static ActorSystem<Void> system;
  private static CassandraTestKeyspace cassandra;
  private static CassandraSession session;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    system = ActorSystem.create(Behaviors.empty(), "CoalescedLedgerWritesIT", keyspace.actorSystemConfig());
    session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static LedgerEntry line(String walletId, Instant at) {
    // As long as a line gets: every text field filled.
    return new LedgerEntry(walletId, 7, 0, at, LedgerEntry.RESERVED, "sms", 1, null, "rsv-" + walletId + "-0123456789",
        "marketing-campaigns", "broadcast-2026-12-05-0001-" + walletId, "newsletter.send", 999_999L,
        "reserved for the December newsletter");
  }

  @Test
  void manyWalletsLinesAndTotalsLandThroughFewRequestsWithoutWarnings() throws Exception {
    // The first request is held until every other write waits behind it, whatever the timing.
    CompletableFuture<Void> gate = new CompletableFuture<>();
    ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();
    CqlSession cql = session.underlying().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // The node's own bounds, but one request at a time.
    WriteCoalescer.Settings settings = WriteCoalescer.Settings.from(ConfigFactory.load().getConfig("wallet.read-side.coalesce"));
    WriteCoalescer writes = new WriteCoalescer(s -> gate.thenCompose(v -> cql.executeAsync(s)).thenApply(rs -> {
      warnings.addAll(rs.getExecutionInfo().getWarnings());
      return Done.getInstance();
    }), new WriteCoalescer.Settings(1, settings.maxPartitions(), settings.maxBytes()));
    LedgerStore store = new LedgerStore(session, cassandra.keyspace(), writes);

    Instant at = Instant.parse("2026-12-05T21:00:00Z");
    LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
    List<CompletionStage<Done>> all = new ArrayList<>();
    for (int i = 0; i < WALLETS; i++) {
      String w = "coalesced-" + i;
      all.add(store.writeLines(w, List.of(line(w, at)), Set.of(), Map.of()));
      all.add(store.commit(w, Map.of(new UsageKey(day, "sms", "", ""), new UsageTotals(0, 1, 0, 0, 0)),
          new WalletReadState(7, "Europe/Paris", Map.of("sms", 100L), Set.of(), Set.of("sms"), Set.of())));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (writes.stats().waiting() < 2 * WALLETS - 1) {
      assertTrue(System.nanoTime() < deadline, "writes never queued: " + writes.stats());
      Thread.sleep(2);
    }
    gate.complete(null);
    CompletableFuture.allOf(all.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);

    WriteCoalescer.Stats stats = writes.stats();
    assertEquals(2 * WALLETS, stats.writes());
    // Ten partitions per request at most, fewer where the rows pass the size bound.
    assertTrue(stats.requests() >= 1 + (2 * WALLETS - 1) / settings.maxPartitions(), "requests: " + stats);
    assertTrue(stats.requests() <= 2 * WALLETS / 5, "writes shared requests: " + stats);
    assertEquals(List.of(), List.copyOf(warnings));

    try (CqlSession s = cassandra.openSession()) {
      for (int i = 0; i < WALLETS; i++) {
        String w = "coalesced-" + i;
        Row l = s.execute("SELECT reference, available FROM ledger_entries WHERE wallet_id = ? AND month = '2026-12'", w).one();
        assertEquals("broadcast-2026-12-05-0001-" + w, l.getString("reference"));
        assertEquals(999_999L, l.getLong("available"));
        Row t = s.execute("SELECT watermark, committed, low FROM usage_totals WHERE wallet_id = ?", w).one();
        assertEquals(7L, t.getLong("watermark"), w);
        assertEquals(1L, t.getLong("committed"), w);
        assertEquals(Set.of("sms"), t.getSet("low", String.class), w);
      }
    }
  }

  @Test
  void aGroupThatOnlyMovesTheWatermarkWritesOnlyTheWatermark() throws Exception {
    LedgerStore store = new LedgerStore(session, cassandra.keyspace(),
        WriteCoalescer.of(session, WriteCoalescer.Settings.from(ConfigFactory.load().getConfig("wallet.read-side.coalesce"))));
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

  private static long writetimeOfTimeZone(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      return s.execute("SELECT writetime(time_zone) FROM usage_totals WHERE wallet_id = ?", walletId).one().getLong(0);
    }
  }
}
