package com.creditwallet.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.Outcome;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wallet on the real Cassandra journal and snapshot store, with the Cassandra pruner: after
 * many snapshots only the latest two are left in the table, and the wallet recovers from them.
 */
@ExtendWith(CassandraExtension.class)
class SnapshotPruningIT {
  private static final Duration ASK = Duration.ofSeconds(30);
  private static ActorTestKit kit;
  private static CassandraTestKeyspace cassandra;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    kit = ActorTestKit.create("SnapshotPruningIT", keyspace.actorSystemConfig());
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.shutdownTestKit();
  }

  private static ActorRef<WalletEntity.Command> spawn() {
    return kit.spawn(WalletEntity.create("w-prune", Clock.systemUTC(), WalletPolicy.DEFAULTS, 2, WakeupIndex.NONE,
        new InMemoryReservationArchive(), new CassandraSnapshotPruner(kit.system())));
  }

  private static <T> T ok(ActorRef<WalletEntity.Command> wallet, Function<ActorRef<Outcome<T>>, WalletEntity.Command> c) {
    Outcome<T> o = AskPattern.<WalletEntity.Command, Outcome<T>>ask(wallet, c::apply, ASK, kit.system().scheduler())
        .toCompletableFuture().join();
    assertTrue(o.isAccepted(), () -> "expected success, got " + o.rejected());
    return o.value();
  }

  private static List<Long> snapshotSequenceNumbers() {
    List<Long> out = new ArrayList<>();
    try (CqlSession session = cassandra.openSession()) {
      session.execute("SELECT sequence_nr FROM " + cassandra.keyspace()
              + ".snapshots WHERE persistence_id = 'Wallet|w-prune'")
          .forEach(r -> out.add(r.getLong(0)));
    }
    return out;
  }

  @Test
  void onlyTheLatestTwoSnapshotsAreKeptAndTheyRecoverTheWallet() throws Exception {
    ActorRef<WalletEntity.Command> wallet = spawn();
    ok(wallet, (ActorRef<Outcome<com.creditwallet.wallet.WalletViews.Configured>> r) -> new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), r));
    ok(wallet, (ActorRef<Outcome<com.creditwallet.wallet.WalletViews.GrantView>> r) -> new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", 1_000, GrantSource.PROMO, null, null, null, 0, false), r));
    for (int i = 0; i < 60; i++) {
      String id = "r-" + i;
      ok(wallet, (ActorRef<Outcome<com.creditwallet.wallet.WalletViews.ReservationView>> r) -> new WalletEntity.Reserve(
          new ReserveRequest(id, List.of(new Line("sms", 1)), null, 900, false, null), ReservationKind.HOLD, r));
      ok(wallet, (ActorRef<Outcome<com.creditwallet.wallet.WalletViews.ReservationView>> r) -> new WalletEntity.Commit(id, null, r));
    }
    WalletView before = ok(wallet, (ActorRef<Outcome<WalletView>> r) -> new WalletEntity.GetWallet(r));

    // 122 events with snapshots at least 2 apart: dozens were taken; pruning is asynchronous.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<Long> left = snapshotSequenceNumbers();
    // Waits for the end state, not for "at most two": a background write can land after the
    // prune it triggered, so one or three can be seen on the way there.
    while (!(left.size() == 2 && left.get(0) > 60) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      left = snapshotSequenceNumbers();
    }
    assertEquals(2, left.size(), "only the latest two snapshots are left: " + left);
    // Committed reservations stay in memory for the recent window, so the intervals grow with them.
    assertTrue(left.get(0) > 60 && left.get(0) > left.get(1), "the newest snapshots are kept: " + left);

    kit.stop(wallet);
    ActorRef<WalletEntity.Command> recovered = spawn();
    assertEquals(before, ok(recovered, (ActorRef<Outcome<WalletView>> r) -> new WalletEntity.GetWallet(r)));
  }
}
