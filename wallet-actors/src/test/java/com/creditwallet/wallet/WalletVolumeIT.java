package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.CassandraReservationArchive;
import com.creditwallet.snapshot.CassandraSnapshotPruner;
import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.WalletEntity.BatchItem;
import com.creditwallet.wallet.WalletEntity.BatchResult;
import com.creditwallet.wallet.WalletEntity.BatchResults;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One wallet under a high-volume sender's traffic on the real Cassandra journal and archive:
 * N reserve+commit pairs (through the entity, in batches as the batch API sends them), then 1,000
 * open holds, then a restart. Prints the snapshot size, the heap the recovered wallet takes, the
 * recovery time and the time of a read; then checks that a retry of the very first reservation
 * answers its original body from the archive, that a refund of it goes back to the grant it came
 * from, and that the audit is consistent.
 *
 * <p>The suite runs a small N (20,000 pairs); the issue's figure is
 * {@code mvn -B -pl wallet-actors verify -Dit.test=WalletVolumeIT -Dvolume.pairs=1000000}.
 */
@ExtendWith(CassandraExtension.class)
class WalletVolumeIT {
  static final int PAIRS = Integer.getInteger("volume.pairs", 20_000);
  static final int PAIRS_PER_COMMAND = 100;
  static final int IN_FLIGHT = 4;
  static final int OPEN_HOLDS = 1_000;
  /** As the node runs it (reference.conf, wallet.snapshot-every). */
  static final int SNAPSHOT_EVERY = 500;
  static final Duration ASK = Duration.ofSeconds(30);
  static final String WALLET = "w-volume";

  static ActorTestKit kit;
  static CassandraTestKeyspace keyspace;
  static CassandraReservationArchive archive;
  static final WalletPolicy POLICY = WalletPolicy.DEFAULTS;

  @BeforeAll
  static void start(CassandraTestKeyspace ks) {
    keyspace = ks;
    kit = ActorTestKit.create("WalletVolumeIT", ks.actorSystemConfig());
    archive = new CassandraReservationArchive(kit.system(), ks.keyspace(), POLICY.reservationRetention());
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.shutdownTestKit();
  }

  static ActorRef<WalletEntity.Command> spawnWallet() {
    return kit.spawn(WalletEntity.create(WALLET, Clock.systemUTC(), POLICY, SNAPSHOT_EVERY, WakeupIndex.NONE, archive,
        new CassandraSnapshotPruner(kit.system())));
  }

  static <T> T ask(ActorRef<WalletEntity.Command> wallet, Function<ActorRef<T>, WalletEntity.Command> command) {
    return AskPattern.<WalletEntity.Command, T>ask(wallet, command::apply, ASK, kit.system().scheduler())
        .toCompletableFuture().join();
  }

  static <T> T ok(Outcome<T> o) {
    assertTrue(o.isAccepted(), () -> "expected success, got " + o.rejected());
    return o.value();
  }

  static ReserveRequest request(String id) {
    return new ReserveRequest(id, List.of(new Line("sms", 1)), null, 900, false, "broadcast-7");
  }

  @Test
  void aMillionReservationsLeaveTheWalletSmallFastAndExact() {
    ActorRef<WalletEntity.Command> wallet = spawnWallet();
    ok(ask(wallet, (ActorRef<Outcome<WalletViews.Configured>> r) ->
        new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), r)));
    ok(ask(wallet, (ActorRef<Outcome<GrantView>> r) -> new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", PAIRS + OPEN_HOLDS + 10L, GrantSource.PROMO, null, null, null, 0, false), r)));
    ReservationView first = ok(ask(wallet, (ActorRef<Outcome<ReservationView>> r) ->
        new WalletEntity.Reserve(request("v-0"), ReservationKind.HOLD, r)));
    ok(ask(wallet, (ActorRef<Outcome<ReservationView>> r) -> new WalletEntity.Commit("v-0", null, r)));

    long started = System.nanoTime();
    Deque<CompletionStage<BatchResults>> inFlight = new ArrayDeque<>();
    int nextProgress = 10;
    for (int from = 1; from < PAIRS; from += PAIRS_PER_COMMAND) {
      List<BatchItem> items = new ArrayList<>();
      for (int i = from; i < Math.min(PAIRS, from + PAIRS_PER_COMMAND); i++) {
        items.add(new WalletEntity.ReserveItem(request("v-" + i), null, ReservationKind.HOLD));
        items.add(new WalletEntity.CommitItem("v-" + i, null));
      }
      inFlight.add(AskPattern.ask(wallet, r -> new WalletEntity.Batch(items, r), ASK, kit.system().scheduler()));
      if (inFlight.size() >= IN_FLIGHT) assertAllOk(inFlight.poll().toCompletableFuture().join());
      if (from * 100L / PAIRS >= nextProgress) {
        System.out.printf("[volume] %d%% (%,d pairs)%n", nextProgress, from);
        nextProgress += 10;
      }
    }
    while (!inFlight.isEmpty()) assertAllOk(inFlight.poll().toCompletableFuture().join());
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("[volume] %,d reserve+commit pairs in %.1f s: %,.0f pairs/s (cold JVM, one wallet, real Cassandra)%n",
        PAIRS, seconds, PAIRS / seconds);

    for (int from = 0; from < OPEN_HOLDS; from += PAIRS_PER_COMMAND) {
      List<BatchItem> items = new ArrayList<>();
      for (int i = from; i < from + PAIRS_PER_COMMAND; i++) {
        items.add(new WalletEntity.ReserveItem(request("open-" + i), null, ReservationKind.HOLD));
      }
      assertAllOk(ask(wallet, (ActorRef<BatchResults> r) -> new WalletEntity.Batch(items, r)));
    }
    AuditReport settled = awaitAudit(wallet, a -> a.recentReservations() <= POLICY.recentMax());
    assertEquals(OPEN_HOLDS, settled.openHolds());
    System.out.printf("[volume] in memory: %d open holds, %d recent finished; archived: %,d%n",
        settled.openHolds(), settled.recentReservations(), settled.archivedReservations());

    // A snapshot every 500 events: the latest one is the size of a wallet with 1,000 open holds.
    long snapshotBytes = latestSnapshotBytes();
    System.out.printf("[volume] latest snapshot: %,d bytes (target: under 1 MiB)%n", snapshotBytes);
    assertTrue(snapshotBytes > 0 && snapshotBytes < 1024 * 1024, "snapshot under 1 MiB");

    kit.stop(wallet);
    long heapBefore = usedHeap();
    long recoveryStarted = System.nanoTime();
    ActorRef<WalletEntity.Command> recovered = spawnWallet();
    AuditReport after = ask(recovered, (ActorRef<Outcome<AuditReport>> r) -> new WalletEntity.GetAudit(r)).value();
    double recoveryMs = (System.nanoTime() - recoveryStarted) / 1e6;
    long heapAfter = usedHeap();
    System.out.printf("[volume] recovery and first answer: %.0f ms (target: under 1 s)%n", recoveryMs);
    long walletHeap = heapAfter - heapBefore;
    long held = after.openHolds() + after.recentReservations();
    System.out.printf("[volume] heap of the recovered wallet: about %,d bytes, %,d per reservation in memory "
        + "(%d open + %d recent; a rough GC-to-GC difference)%n", walletHeap, held == 0 ? 0 : walletHeap / held,
        after.openHolds(), after.recentReservations());

    // Once more, now that the wallet is quiet and its recovery code has run once in this JVM.
    kit.stop(recovered);
    long againStarted = System.nanoTime();
    recovered = spawnWallet();
    ok(ask(recovered, (ActorRef<Outcome<AuditReport>> r) -> new WalletEntity.GetAudit(r)));
    System.out.printf("[volume] recovery and first answer, second time: %.0f ms%n",
        (System.nanoTime() - againStarted) / 1e6);

    long readStarted = System.nanoTime();
    int reads = 100;
    for (int i = 0; i < reads; i++) ok(ask(recovered, (ActorRef<Outcome<WalletView>> r) -> new WalletEntity.GetWallet(r)));
    System.out.printf("[volume] a read (GET wallet): %.2f ms on average over %d (target: under 50 ms)%n",
        (System.nanoTime() - readStarted) / 1e6 / reads, reads);

    // The first reservation is long gone from memory; its retry answers as the first time.
    ReservationView retry = ok(ask(recovered, (ActorRef<Outcome<ReservationView>> r) ->
        new WalletEntity.Reserve(request("v-0"), ReservationKind.HOLD, r)));
    assertEquals(first, retry, "a retry of the first reservation answers its original body");
    long before = grantRemaining(recovered);
    ReservationView refunded = ok(ask(recovered, (ActorRef<Outcome<ReservationView>> r) ->
        new WalletEntity.Refund("v-0", new RefundRequest("bounce-0", List.of(new Line("sms", 1)), "BOUNCE"), r)));
    assertEquals(List.of(new Line("sms", 1)), refunded.refunded());
    assertEquals(before + 1, grantRemaining(recovered), "the refund went back to the grant it came from");
    AuditReport audit = ok(ask(recovered, (ActorRef<Outcome<AuditReport>> r) -> new WalletEntity.GetAudit(r)));
    assertTrue(audit.consistent(), audit::toString);
    assertEquals(PAIRS + 0L, audit.categories().get("sms").committed());
    kit.stop(recovered);
  }

  static void assertAllOk(BatchResults results) {
    for (BatchResult r : results.results()) {
      assertTrue(r.rejection() == null, () -> "batch item refused: " + r.rejection());
    }
  }

  static long grantRemaining(ActorRef<WalletEntity.Command> wallet) {
    WalletView v = ok(ask(wallet, (ActorRef<Outcome<WalletView>> r) -> new WalletEntity.GetWallet(r)));
    return v.grants().stream().filter(g -> g.grantId().equals("g-1")).findFirst().orElseThrow().remaining();
  }

  static AuditReport awaitAudit(ActorRef<WalletEntity.Command> wallet, java.util.function.Predicate<AuditReport> done) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      AuditReport a = ok(ask(wallet, (ActorRef<Outcome<AuditReport>> r) -> new WalletEntity.GetAudit(r)));
      if (done.test(a)) return a;
      if (System.nanoTime() > deadline) throw new AssertionError("the archive did not catch up: " + a);
      Thread.onSpinWait();
    }
  }

  static long latestSnapshotBytes() {
    CassandraSession session = CassandraSessionRegistry.get(kit.system()).sessionFor("pekko.persistence.cassandra");
    Row row = session.selectOne("SELECT sequence_nr, snapshot_data, snapshot FROM " + keyspace.keyspace()
        + ".snapshots WHERE persistence_id = ? LIMIT 1", "Wallet|" + WALLET)
        .toCompletableFuture().join().orElseThrow(() -> new AssertionError("no snapshot was written"));
    System.out.printf("[volume] latest snapshot at event %,d%n", row.getLong("sequence_nr"));
    ByteBuffer data = row.getByteBuffer("snapshot_data");
    if (data == null) data = row.getByteBuffer("snapshot");
    return data == null ? 0 : data.remaining();
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
