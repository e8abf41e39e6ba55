package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
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
    system = ActorSystem.create(Behaviors.empty(), "LedgerStoreIT", keyspace.actorSystemConfig());
    store = new LedgerStore(CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra"),
        keyspace.keyspace());
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
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

  private static long writetimeOfTimeZone(String walletId) {
    try (CqlSession s = cassandra.openSession()) {
      return s.execute("SELECT writetime(time_zone) FROM usage_totals WHERE wallet_id = ?", walletId).one().getLong(0);
    }
  }
}
