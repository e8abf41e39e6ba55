package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.WalletEntity.BatchResults;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import com.creditwallet.wallet.domain.WalletStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plans, trials, cycle resets and batches through the entity, with an injected clock. */
class WalletEntityPlansTest {
  private static final Instant T0 = Instant.parse("2027-01-31T10:00:00Z");
  private static ActorTestKit testKit;

  private ManualClock clock;
  private EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletEntityPlansTest", WalletEntityTest.CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newWallet() {
    clock = new ManualClock(T0);
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create("w-p", clock, WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE, new InMemoryReservationArchive()));
    kit.clear();
    kit.<Outcome<WalletViews.Configured>>runCommand(r -> new WalletEntity.Configure(
        new WalletSettings.SettingsUpdate(null, null, null, null), r));
  }

  private Outcome<WalletView> subscribe(Plan plan) {
    return kit.<Outcome<WalletView>>runCommand(r -> new WalletEntity.Subscribe(plan, r)).reply();
  }

  private List<WalletEvent> wakeUp() {
    var result = kit.<Done>runCommand(WalletEntity.WakeUp::new);
    assertEquals(Done.getInstance(), result.reply());
    return result.events();
  }

  private Outcome<WalletViews.ReservationView> reserve(String id, long amount) {
    return kit.<Outcome<WalletViews.ReservationView>>runCommand(r -> new WalletEntity.Reserve(
        new ReserveRequest(id, List.of(new Line("campaign", amount)), null, 3600, false, null), ReservationKind.HOLD, r)).reply();
  }

  @Test
  void trialThenCycleResetsSurviveARestart() {
    Plan trial = new Plan("trial", Map.of("campaign", 100L), List.of(), "PT1H", Map.of("campaign", 10L),
        new Plan.Trial("PT30M", Map.of("campaign", 50L)), Map.of());
    WalletView view = subscribe(trial).value();
    assertEquals(WalletStatus.TRIAL, view.status());
    assertEquals(T0.plus(Duration.ofHours(1)), view.plan().cycleEnd());
    assertEquals(T0.plus(Duration.ofMinutes(30)), view.plan().trialEndsAt());
    assertEquals(150, view.balances().get("campaign").available());
    assertTrue(reserve("h-1", 20).isAccepted());

    clock.advance(Duration.ofMinutes(30));
    List<WalletEvent> trialEnd = wakeUp();
    assertTrue(trialEnd.stream().anyMatch(e -> e instanceof WalletEvent.TrialEnded));
    Outcome<WalletViews.ReservationView> blocked = reserve("h-2", 1);
    assertEquals("TRIAL_EXPIRED", blocked.rejected().code());

    clock.advance(Duration.ofMinutes(30));
    List<WalletEvent> reset = wakeUp();
    assertInstanceOf(WalletEvent.CycleReset.class,
        reset.stream().filter(e -> e instanceof WalletEvent.CycleReset).findFirst().orElseThrow());
    assertEquals(2, kit.getState().subscription().cycleNumber());
    // 100 fresh + rollover of min(10, unused PLAN credits); held h-1 is still pinned.
    long available = kit.getState().available("campaign");

    kit.restart();
    WalletState recovered = kit.getState();
    assertEquals(WalletStatus.TRIAL_EXPIRED, recovered.status());
    assertEquals(2, recovered.subscription().cycleNumber());
    assertEquals(available, recovered.available("campaign"));
    assertTrue(wakeUp().isEmpty(), "nothing is due twice after recovery");
  }

  @Test
  void aBatchAppliesItemsInOrderPersistsOnceAndIsolatesRefusals() {
    kit.<Outcome<WalletViews.GrantView>>runCommand(r -> new WalletEntity.IssueGrant(
        new GrantRequest("g", "campaign", 10, GrantSource.PACKAGE, null, null, null, 0, false), r));
    ReserveRequest a = new ReserveRequest("a", List.of(new Line("campaign", 6)), null, 600, false, null);
    ReserveRequest tooBig = new ReserveRequest("b", List.of(new Line("campaign", 6)), null, 600, false, null);
    var result = kit.<BatchResults>runCommand(r -> new WalletEntity.Batch(List.of(
        new WalletEntity.ReserveItem(a, null, ReservationKind.HOLD),
        new WalletEntity.ReserveItem(tooBig, null, ReservationKind.HOLD),
        new WalletEntity.CommitItem("a", null),
        new WalletEntity.RefundItem("a", new com.creditwallet.wallet.domain.RefundRequest("f", List.of(new Line("campaign", 2)), null)),
        new WalletEntity.ReleaseItem("nope")), r));
    List<WalletEntity.BatchResult> results = result.reply().results();
    assertEquals(5, results.size());
    assertNull(results.get(0).rejection());
    assertEquals("INSUFFICIENT_CREDITS", results.get(1).rejection().code());
    assertEquals("COMMITTED", results.get(2).reservation().status().name());
    assertEquals(List.of(new Line("campaign", 2)), results.get(3).reservation().refunded());
    assertEquals("RESERVATION_NOT_FOUND", results.get(4).rejection().code());
    assertEquals(3, result.events().size(), "reserve, commit and refund, persisted together");
    assertEquals(6, kit.getState().available("campaign"));
    kit.restart();
    assertEquals(6, kit.getState().available("campaign"));
  }
}
