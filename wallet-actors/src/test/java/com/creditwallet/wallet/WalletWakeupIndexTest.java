package com.creditwallet.wallet;

import static com.creditwallet.wallet.WalletEntityTest.grantReq;
import static com.creditwallet.wallet.WalletEntityTest.hold;
import static com.creditwallet.wallet.WalletEntityTest.line;
import static com.creditwallet.wallet.WalletEntityTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.BoundedReservationArchive;
import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.flow.TaskLimiter;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A wallet counts its deadline as indexed only once the wake-up row is written: after a failed
 * write it tries again by itself (else, once passivated, it would miss the deadline), and it
 * never has two writes in flight.
 */
class WalletWakeupIndexTest {
  static final Instant T0 = WalletEntityTest.T0;

  /** One call to the index; the test decides when and how it completes. */
  record Call(String walletId, Instant at, CompletableFuture<Instant> result) {}

  /** An index whose writes complete only when the test says so. */
  static final class ScriptedIndex implements WakeupIndex {
    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Instant> schedule(String walletId, Instant at) {
      Call call = new Call(walletId, at, new CompletableFuture<>());
      calls.add(call);
      return call.result();
    }

    Call next() throws InterruptedException {
      Call call = calls.poll(10, TimeUnit.SECONDS);
      assertNotNull(call, "expected a wake-up index write");
      return call;
    }
  }

  static ActorTestKit testKit;
  ScriptedIndex index;
  ManualClock clock;
  EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletWakeupIndexTest", WalletEntityTest.CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newWallet() {
    index = new ScriptedIndex();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create(
        "w-idx", clock = new ManualClock(T0), WalletPolicy.DEFAULTS, 1000, index, new InMemoryReservationArchive()));
    kit.clear();
    ok(kit.<Outcome<WalletViews.Configured>>runCommand(r -> new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), r)).reply());
    ok(kit.<Outcome<WalletViews.GrantView>>runCommand(r -> new WalletEntity.IssueGrant(grantReq("g-1", "sms", 100), r)).reply());
  }

  void holdFor(String id, long ttlSeconds) {
    ok(kit.<Outcome<WalletViews.ReservationView>>runCommand(
        r -> new WalletEntity.Reserve(hold(id, ttlSeconds, line("sms", 1)), ReservationKind.HOLD, r)).reply());
  }

  /** Every write a processed command asked for has been asked once the next command is answered. */
  void sync() {
    kit.runCommand(WalletEntity.GetWallet::new);
  }

  @Test
  void aFailedWriteIsTriedAgainWithoutAnyNewCommand() throws InterruptedException {
    holdFor("r-1", 60);
    Call first = index.next();
    assertEquals(T0.plusSeconds(60), first.at());
    first.result().completeExceptionally(new RuntimeException("Cassandra write timeout"));

    Call again = index.next();
    assertEquals(T0.plusSeconds(60), again.at(), "the same deadline, written again by the wallet itself");
    again.result().complete(again.at());

    // Now indexed: a later deadline writes nothing, an earlier one does (and is the next write).
    holdFor("r-2", 120);
    holdFor("r-3", 30);
    Call earlier = index.next();
    assertEquals(T0.plusSeconds(30), earlier.at());
    earlier.result().complete(earlier.at());
  }

  @Test
  void oneWriteAtATimeAndTheDeadlineIsCheckedAgainAfterIt() throws InterruptedException {
    holdFor("r-1", 60);
    Call first = index.next();
    holdFor("r-2", 30); // earlier, while the first write is still in flight: no second write yet
    sync();
    assertEquals(0, index.calls.size());
    first.result().complete(first.at());
    Call second = index.next();
    assertEquals(T0.plusSeconds(30), second.at());
    second.result().complete(second.at());
  }

  @Test
  void aDeadlineIndexedEarlierThanAskedIsIndexedAgainWhenItComes() throws InterruptedException {
    holdFor("r-1", 60);
    Call first = index.next();
    // The index could only take an earlier instant (as for deadlines decades ahead).
    first.result().complete(T0.plusSeconds(10));
    holdFor("r-2", 90); // nothing new before the indexed instant: nothing to write
    sync();
    assertEquals(0, index.calls.size());
    clock.advanceSeconds(11); // the early row has come due: the real deadline is indexed again
    holdFor("r-3", 90);
    Call again = index.next();
    assertEquals(T0.plusSeconds(60), again.at());
    again.result().complete(again.at());
  }

  /**
   * While an archive write is under way (here: waiting for its turn on the node), the archive's
   * deadline, already past, is not the wallet's next one. The wallet indexes its next hold expiry
   * once and waits for the write: before, it woke itself every few milliseconds and rewrote its
   * wake-up row each time, and a thousand wallets doing so took a node's whole CPU.
   */
  @Test
  void aPendingArchiveWriteDoesNotMakeTheWalletSpinOnItsPastDeadline() throws Exception {
    TaskLimiter stores = new TaskLimiter(1, Runnable::run);
    CompletableFuture<Done> anotherWalletsStore = new CompletableFuture<>();
    stores.submit(() -> anotherWalletsStore); // the node's only turn is taken
    InMemoryReservationArchive rows = new InMemoryReservationArchive();
    EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> w =
        EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create("w-arch", clock,
            WalletPolicy.DEFAULTS.withRecent(Duration.ofMinutes(10), 1_000), 1000, index,
            new BoundedReservationArchive(rows, stores)));
    ok(w.<Outcome<WalletViews.Configured>>runCommand(r -> new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), r)).reply());
    ok(w.<Outcome<WalletViews.GrantView>>runCommand(r -> new WalletEntity.IssueGrant(grantReq("g-1", "sms", 100), r)).reply());
    ok(w.<Outcome<WalletViews.ReservationView>>runCommand(
        r -> new WalletEntity.Reserve(hold("r-1", 900, line("sms", 1)), ReservationKind.HOLD, r)).reply());
    Call first = index.next();
    first.result().complete(first.at());
    ok(w.<Outcome<WalletViews.ReservationView>>runCommand(r -> new WalletEntity.Commit("r-1", null, r)).reply());
    Call archiveDue = index.next();
    assertEquals(T0.plus(Duration.ofMinutes(10)), archiveDue.at(), "r-1 leaves the recent window then");
    archiveDue.result().complete(archiveDue.at());
    ok(w.<Outcome<WalletViews.ReservationView>>runCommand(
        r -> new WalletEntity.Reserve(hold("r-2", 1200, line("sms", 1)), ReservationKind.HOLD, r)).reply());

    clock.advanceSeconds(660);
    assertEquals(Done.getInstance(), w.<Done>runCommand(WalletEntity.WakeUp::new).reply());
    Call next = index.next();
    assertEquals(T0.plusSeconds(1200), next.at(), "r-2's expiry, not the past archive deadline");
    next.result().complete(next.at());
    assertNull(index.calls.poll(300, TimeUnit.MILLISECONDS), "no more wake-ups, no more index writes");
    assertTrue(rows.rows("w-arch").isEmpty(), "the archive write is still waiting for its turn");

    anotherWalletsStore.complete(Done.getInstance());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (w.getState().reservation("r-1").isPresent()) {
      assertTrue(System.nanoTime() < deadline, "r-1 archived once the write had its turn");
      Thread.onSpinWait();
    }
    assertTrue(rows.rows("w-arch").containsKey("r-1"));
    assertNull(index.calls.poll(300, TimeUnit.MILLISECONDS), "r-2's expiry is already indexed");
  }
}
