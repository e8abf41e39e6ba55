package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationStatus;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group commit, proven on the in-memory journal: while one write is held in the journal, every
 * command that arrives is queued; when the write completes they are all decided in arrival order
 * and persisted in one write, each answered only after it. Order, idempotency and every rule hold
 * inside a group exactly as one by one. Also: catching up after a long downtime goes in writes
 * of at most {@code maxEventsPerWrite} events.
 */
class WalletGroupCommitTest {
  static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");

  static ActorTestKit testKit;
  static PersistenceTestKit journal;

  /** Counts journal writes and their sizes; can hold the next write until released. */
  static final class Writes implements ProcessingPolicy<JournalOperation> {
    final List<Integer> sizes = new CopyOnWriteArrayList<>();
    /** Per write, how many of its events expired a hold. */
    final List<Integer> expiries = new CopyOnWriteArrayList<>();
    volatile CountDownLatch holdNext;
    final CountDownLatch holding = new CountDownLatch(1);

    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
      if (op instanceof WriteEvents w) {
        sizes.add(w.getBatch().size());
        int expired = 0;
        for (Object e : w.getBatch()) {
          Object event = e instanceof Tagged t ? t.payload() : e;
          if (event instanceof WalletEvent.ReservationReleased r && r.ttlExpired()) expired++;
        }
        expiries.add(expired);
        CountDownLatch hold = holdNext;
        if (hold != null) {
          holdNext = null;
          holding.countDown();
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      return ProcessingSuccess$.MODULE$;
    }
  }

  ManualClock clock = new ManualClock(T0);

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletGroupCommitTest", WalletEntityTest.CONFIG);
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterEach
  void resetJournal() {
    journal.resetPolicy();
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  ActorRef<WalletEntity.Command> wallet(long credits) {
    ActorRef<WalletEntity.Command> w = testKit.spawn(WalletEntity.create("w-" + UUID.randomUUID(), clock,
        WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive()));
    TestProbe<Outcome<WalletViews.Configured>> configured = testKit.createTestProbe();
    w.tell(new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), configured.getRef()));
    assertTrue(configured.receiveMessage().isAccepted());
    TestProbe<Outcome<WalletViews.GrantView>> granted = testKit.createTestProbe();
    w.tell(new WalletEntity.IssueGrant(
        new GrantRequest("g-1", "sms", credits, GrantSource.PROMO, null, null, null, 0, false), granted.getRef()));
    assertTrue(granted.receiveMessage().isAccepted());
    return w;
  }

  static ReserveRequest hold(String id, long amount, long ttlSeconds) {
    return new ReserveRequest(id, List.of(new Line("sms", amount)), null, ttlSeconds, false, null);
  }

  @Test
  void commandsArrivingDuringAWriteAreDecidedInOrderAndPersistedTogether() throws Exception {
    ActorRef<WalletEntity.Command> w = wallet(150);
    Writes writes = new Writes();
    writes.holdNext = new CountDownLatch(1);
    CountDownLatch release = writes.holdNext;
    journal.withPolicy(writes);
    TestProbe<Outcome<ReservationView>> replies = testKit.createTestProbe();

    w.tell(new WalletEntity.Reserve(hold("r-0", 1, 900), ReservationKind.HOLD, replies.getRef()));
    assertTrue(writes.holding.await(10, TimeUnit.SECONDS), "the first write is held in the journal");
    // While it is held: 199 more reserves of 1 credit, a duplicate, a conflicting reuse, a commit.
    List<String> expected = new ArrayList<>();
    expected.add("r-0");
    for (int i = 1; i < 200; i++) {
      w.tell(new WalletEntity.Reserve(hold("r-" + i, 1, 900), ReservationKind.HOLD, replies.getRef()));
      expected.add("r-" + i);
      if (i == 5) {
        w.tell(new WalletEntity.Reserve(hold("r-5", 1, 900), ReservationKind.HOLD, replies.getRef()));
        expected.add("dup r-5");
        w.tell(new WalletEntity.Reserve(hold("r-5", 2, 900), ReservationKind.HOLD, replies.getRef()));
        expected.add("conflict r-5");
        w.tell(new WalletEntity.Commit("r-3", null, replies.getRef()));
        expected.add("commit r-3");
      }
    }
    replies.expectNoMessage(Duration.ofMillis(200));
    release.countDown();

    List<Outcome<ReservationView>> answers = replies.receiveSeveralMessages(expected.size(), Duration.ofSeconds(10));
    ReservationView r5 = null;
    int accepted = 0;
    for (int i = 0; i < expected.size(); i++) {
      String what = expected.get(i);
      Outcome<ReservationView> o = answers.get(i);
      switch (what) {
        case "dup r-5" -> assertEquals(r5, o.value(), "a duplicate in the same group answers the same");
        case "conflict r-5" -> assertEquals(Rejection.IDEMPOTENCY_CONFLICT, o.rejected().code());
        case "commit r-3" -> assertEquals(ReservationStatus.COMMITTED, o.value().status());
        default -> {
          int n = Integer.parseInt(what.substring(2));
          assertEquals(n < 150, o.isAccepted(), () -> what + " answered " + o);
          if (o.isAccepted()) {
            assertEquals(what, o.value().reservationId(), "answers come in command order");
            accepted++;
          } else {
            assertEquals(Rejection.INSUFFICIENT_CREDITS, o.rejected().code());
          }
          if (n == 5) r5 = o.value();
        }
      }
    }
    assertEquals(150, accepted, "exactly the credits there were, in arrival order");
    // One write for r-0, then one for the whole group (149 more reserves and the commit).
    assertEquals(List.of(1, 150), writes.sizes);

    TestProbe<Outcome<AuditReport>> audit = testKit.createTestProbe();
    w.tell(new WalletEntity.GetAudit(audit.getRef()));
    AuditReport a = audit.receiveMessage().value();
    assertTrue(a.consistent());
    assertEquals(149, a.openHolds());
  }

  @Test
  void aWalletThatWasDownWhileThousandsOfHoldsExpiredCatchesUpInBoundedWrites() {
    ActorRef<WalletEntity.Command> w = wallet(1000);
    TestProbe<WalletEntity.BatchResults> batch = testKit.createTestProbe();
    for (int from = 0; from < 500; from += 50) {
      List<WalletEntity.BatchItem> items = new ArrayList<>();
      for (int i = from; i < from + 50; i++) {
        items.add(new WalletEntity.ReserveItem(hold("h-" + i, 1, 60), null, ReservationKind.HOLD));
      }
      w.tell(new WalletEntity.Batch(items, batch.getRef()));
      assertTrue(batch.receiveMessage().results().stream().allMatch(r -> r.rejection() == null));
    }
    Writes writes = new Writes();
    journal.withPolicy(writes);
    clock.advance(Duration.ofHours(1));
    TestProbe<Done> woke = testKit.createTestProbe();
    w.tell(new WalletEntity.WakeUp(woke.getRef()));
    woke.expectMessage(Duration.ofSeconds(10), Done.getInstance());

    int total = writes.expiries.stream().mapToInt(Integer::intValue).sum();
    assertEquals(500, total, "every hold expired, one event each");
    assertTrue(writes.expiries.stream().filter(n -> n > 0).count() >= 3,
        () -> "several writes, not one giant one: " + writes.expiries);
    assertFalse(writes.sizes.stream().anyMatch(n -> n > WalletPolicy.DEFAULTS.maxEventsPerWrite()),
        () -> "each write bounded: " + writes.sizes);
    TestProbe<Outcome<AuditReport>> audit = testKit.createTestProbe();
    w.tell(new WalletEntity.GetAudit(audit.getRef()));
    AuditReport a = audit.receiveMessage().value();
    assertTrue(a.consistent());
    assertEquals(0, a.openHolds());
    assertEquals(1000, a.categories().get("sms").available());
  }
}
