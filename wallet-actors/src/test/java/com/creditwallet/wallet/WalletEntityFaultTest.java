package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.WalletEntity.BatchResults;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An unexpected fault while the wallet applies its due deadlines (outside any command's guard)
 * must not stop the wallet. The fault is injected through the journal: a subscription to a plan
 * whose cycle today's limits refuse ({@code P999999999Y}), as a journal written before those
 * limits could hold; its cycle reset overflows the calendar arithmetic. Each command then answers
 * INTERNAL at once instead of timing out, nothing is persisted, and the wallet keeps answering.
 */
class WalletEntityFaultTest {
  private static final Instant T0 = Instant.parse("2027-01-31T10:00:00Z");
  private static final String PERSISTENCE_ID = "Wallet|w-fault";
  private static ActorTestKit testKit;

  private ManualClock clock;
  private EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletEntityFaultTest", WalletEntityTest.CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newWallet() {
    clock = new ManualClock(T0);
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create(
        "w-fault", clock, WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive()));
    kit.clear();
    kit.<Outcome<WalletViews.Configured>>runCommand(r -> new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), r));
    kit.<Outcome<WalletViews.GrantView>>runCommand(r -> new WalletEntity.IssueGrant(
        new GrantRequest("g", "campaign", 100, GrantSource.PACKAGE, null, null, null, 0, false), r));
  }

  private Outcome<ReservationView> reserve(String id) {
    return kit.<Outcome<ReservationView>>runCommand(r -> new WalletEntity.Reserve(
        new ReserveRequest(id, List.of(new Line("campaign", 5)), null, 3600, false, null), ReservationKind.HOLD, r))
        .reply();
  }

  /** A journal written before the time limits: a plan whose next cycle end cannot be computed. */
  private void injectAbsurdSubscription() {
    Plan forever = new Plan("forever", Map.of("campaign", 10L), List.of(), "P999999999Y", Map.of(), null, Map.of());
    WalletEvent subscribed = WalletEvent.PlanSubscribed.of(T0, forever, 1, T0, T0.plusSeconds(10), null);
    kit.persistenceTestKit().persistForRecovery(PERSISTENCE_ID, List.of(subscribed));
    kit.restart();
  }

  @Test
  void aFaultInTheDueDeadlinesAnswersInternalChangesNothingAndTheWalletKeepsRunning() {
    injectAbsurdSubscription();
    assertTrue(reserve("before").isAccepted(), "the wallet works until the deadline is due");
    int journalBefore = kit.persistenceTestKit().persistedInStorage(PERSISTENCE_ID).size();
    WalletState stateBefore = kit.getState();

    clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 3; i++) {
      var result = kit.<Outcome<ReservationView>>runCommand(r -> new WalletEntity.Reserve(
          new ReserveRequest("after", List.of(new Line("campaign", 5)), null, 3600, false, null),
          ReservationKind.HOLD, r));
      assertEquals(Rejection.INTERNAL, result.reply().rejected().code(), "answered at once, as a clear error");
      assertTrue(result.events().isEmpty(), "nothing persisted");
    }
    Outcome<WalletView> read = kit.<Outcome<WalletView>>runCommand(WalletEntity.GetWallet::new).reply();
    assertEquals(Rejection.INTERNAL, read.rejected().code(), "no view of a state whose deadlines are not applied");
    BatchResults batch = kit.<BatchResults>runCommand(r -> new WalletEntity.Batch(List.of(
        new WalletEntity.CommitItem("before", null), new WalletEntity.ReleaseItem("before")), r)).reply();
    assertEquals(2, batch.results().size());
    batch.results().forEach(b -> assertEquals(Rejection.INTERNAL, b.rejection().code()));
    assertEquals(Done.getInstance(), kit.<Done>runCommand(WalletEntity.WakeUp::new).reply(),
        "a wake-up is acknowledged; the wallet retries by itself");

    assertEquals(journalBefore, kit.persistenceTestKit().persistedInStorage(PERSISTENCE_ID).size());
    assertEquals(stateBefore.available("campaign"), kit.getState().available("campaign"));
    assertEquals(stateBefore.reservations(), kit.getState().reservations());

    // Still the same wallet after a restart: it recovers, and answers the same way.
    kit.restart();
    assertEquals(Rejection.INTERNAL, reserve("after-restart").rejected().code());
    assertEquals(journalBefore, kit.persistenceTestKit().persistedInStorage(PERSISTENCE_ID).size());
  }

  @Test
  void beforeItIsDueTheSameWalletServesEveryCommand() {
    injectAbsurdSubscription();
    clock.advance(Duration.ofSeconds(9));
    assertTrue(reserve("r-1").isAccepted());
    assertTrue(kit.<Outcome<ReservationView>>runCommand(r -> new WalletEntity.Commit("r-1", null, r))
        .reply().isAccepted());
    assertEquals(95, kit.getState().available("campaign"), "100 granted - 5 committed");
  }
}
