package com.creditwallet.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.Outcome;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletViews.Configured;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wallet_recovery} counts every time a wallet comes into memory, new or recovered: the
 * figure that shows a node spending its time bringing passivated wallets back.
 */
class WalletRecoveryMetricTest {
  static final Config CONFIG = EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load());
  static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletRecoveryMetricTest", CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
    WalletMetrics.install(new SimpleMeterRegistry());
  }

  @Test
  void everyStartAndEveryRestartIsARecovery() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WalletMetrics.install(registry);
    Clock clock = Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);
    EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), WalletEntity.create("w-recovery", clock, WalletPolicy.DEFAULTS, 1000, WakeupIndex.NONE,
            new InMemoryReservationArchive()));
    kit.clear();
    // A command is handled only after recovery, so the first start is counted by now.
    EventSourcedBehaviorTestKit.CommandResultWithReply<WalletEntity.Command, WalletEvent, WalletState, Outcome<Configured>> created =
        kit.runCommand(replyTo -> new WalletEntity.Configure(new WalletSettings.SettingsUpdate(null, null, null, null), replyTo));
    assertEquals(1, created.events().size());
    Timer recovery = registry.get("wallet_recovery").timer();
    long afterStart = recovery.count();
    assertTrue(afterStart >= 1, "the first start is a recovery too");
    kit.restart();
    kit.restart();

    assertEquals(afterStart + 2, recovery.count(), "each restart recovers the wallet once more");
  }
}
