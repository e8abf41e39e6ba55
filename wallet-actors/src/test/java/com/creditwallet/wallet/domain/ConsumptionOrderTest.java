package com.creditwallet.wallet.domain;

import static com.creditwallet.wallet.domain.WalletFixture.T0;
import static com.creditwallet.wallet.domain.WalletFixture.grantReq;
import static com.creditwallet.wallet.domain.WalletFixture.hold;
import static com.creditwallet.wallet.domain.WalletFixture.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumptionOrderTest {
  private static final Instant DAY1 = T0.plus(Duration.ofDays(1));
  private static final Instant DAY10 = T0.plus(Duration.ofDays(10));

  private static List<Draw> reservedDraws(WalletFixture f, List<WalletEvent> events) {
    return f.only(CreditsReserved.class, events).draws();
  }

  private static Draw d(String grantId, long amount) {
    return new Draw(grantId, "sms", amount);
  }

  /** Six grants issued in an order that differs from the spending order. */
  private static void grantMix(WalletFixture f) {
    f.grant(grantReq("never-old", "sms", 10, GrantSource.PROMO, null, 1));
    f.grant(grantReq("late", "sms", 10, GrantSource.PROMO, DAY10, 1));
    f.grant(grantReq("soon-a", "sms", 10, GrantSource.PROMO, DAY1, 1));
    f.grant(grantReq("never-new", "sms", 10, GrantSource.PROMO, null, 1));
    f.grant(grantReq("soon-b", "sms", 10, GrantSource.PROMO, DAY1, 1));
    f.grant(grantReq("prio", "sms", 10, GrantSource.PROMO, null, 0));
  }

  @Test
  void expiringFirstIsPriorityThenSoonestExpiryThenNeverExpiringThenOldest() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.EXPIRING_FIRST);
    grantMix(f);
    List<Draw> draws = reservedDraws(f, f.reserve(hold("r-1", line("sms", 55))));
    assertEquals(
        List.of(d("prio", 10), d("soon-a", 10), d("soon-b", 10), d("late", 10), d("never-old", 10), d("never-new", 5)),
        draws);
    f.assertAudit("sms", 60, 0, 5, 55, 0, 0);
    assertEquals(5, f.remaining("never-new"));
    assertEquals(0, f.remaining("never-old"));
  }

  @Test
  void expiringFirstIsTheDefault() {
    WalletFixture f = WalletFixture.create();
    assertEquals(ConsumptionOrder.EXPIRING_FIRST, f.state.settings().consumptionOrder());
    f.grant("never", "sms", 10);
    f.grant("expiring", "sms", 10, DAY10);
    assertEquals(List.of(d("expiring", 10), d("never", 2)), reservedDraws(f, f.reserve(hold("r", line("sms", 12)))));
  }

  @Test
  void successiveReservationsWalkTheSameOrder() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.EXPIRING_FIRST);
    grantMix(f);
    assertEquals(List.of(d("prio", 10), d("soon-a", 5)), reservedDraws(f, f.reserve(hold("r-1", line("sms", 15)))));
    assertEquals(List.of(d("soon-a", 5), d("soon-b", 10), d("late", 3)), reservedDraws(f, f.reserve(hold("r-2", line("sms", 18)))));
    // A release gives the credits back, so the next reservation takes them first again.
    f.release("r-1");
    assertEquals(List.of(d("prio", 10), d("soon-a", 2)), reservedDraws(f, f.reserve(hold("r-3", line("sms", 12)))));
    f.assertAudit("sms", 60, 0, 30, 30, 0, 0);
  }

  @Test
  void nonExpiringFirstSeed001TakesTheNonExpiringCreditsFirst() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.NON_EXPIRING_FIRST);
    f.grant(grantReq("pkg", "sms", 50, GrantSource.PACKAGE, T0.plus(Duration.ofDays(730)), 0));
    f.grant(grantReq("free", "sms", 20, GrantSource.PROMO, null, 0));
    List<Draw> draws = reservedDraws(f, f.reserve(hold("r-1", line("sms", 30))));
    assertEquals(List.of(d("free", 20), d("pkg", 10)), draws);
    assertEquals(0, f.remaining("free"));
    assertEquals(40, f.remaining("pkg"));
    f.commit("r-1");
    f.assertAudit("sms", 70, 0, 40, 0, 30, 0);
  }

  /** The case: an expiring grant with a lower (earlier) priority still waits. */
  @Test
  void nonExpiringFirstIgnoresAPriorityThatFavoursExpiringCredits() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.NON_EXPIRING_FIRST);
    f.grant(grantReq("never", "sms", 20, GrantSource.PROMO, null, 0));
    f.grant(grantReq("expiring", "sms", 50, GrantSource.PACKAGE, DAY10, -1));
    assertEquals(List.of(d("never", 10)), reservedDraws(f, f.reserve(hold("r-1", line("sms", 10)))));
    assertEquals(List.of(d("never", 10), d("expiring", 5)), reservedDraws(f, f.reserve(hold("r-2", line("sms", 15)))));
    f.assertAudit("sms", 70, 0, 45, 25, 0, 0);
  }

  /** Within each group priority still orders; expiring grants then go by soonest expiry, then oldest. */
  @Test
  void nonExpiringFirstOrdersEachGroupByPriority() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.NON_EXPIRING_FIRST);
    f.grant(grantReq("exp-soon", "sms", 10, GrantSource.PROMO, DAY1, 0));
    f.grant(grantReq("exp-late-urgent", "sms", 10, GrantSource.PROMO, DAY10, -5));
    f.grant(grantReq("never-normal", "sms", 10, GrantSource.PROMO, null, 3));
    f.grant(grantReq("never-urgent", "sms", 10, GrantSource.PROMO, null, -2));
    f.grant(grantReq("exp-soon-b", "sms", 10, GrantSource.PROMO, DAY1, 0));
    List<Draw> draws = reservedDraws(f, f.reserve(hold("r-1", line("sms", 45))));
    assertEquals(
        List.of(d("never-urgent", 10), d("never-normal", 10), d("exp-late-urgent", 10), d("exp-soon", 10),
            d("exp-soon-b", 5)),
        draws);
  }

  @Test
  void nonExpiringFirstThenSoonestExpiryThenOldest() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.NON_EXPIRING_FIRST);
    grantMix(f);
    List<Draw> draws = reservedDraws(f, f.reserve(hold("r-1", line("sms", 55))));
    assertEquals(
        List.of(d("prio", 10), d("never-old", 10), d("never-new", 10), d("soon-a", 10), d("soon-b", 10), d("late", 5)),
        draws);
    f.assertAudit("sms", 60, 0, 5, 55, 0, 0);
  }

  @Test
  void changingTheOrderAppliesToLaterReservations() {
    WalletFixture f = WalletFixture.create(ConsumptionOrder.EXPIRING_FIRST);
    f.grant("never", "sms", 10);
    f.grant("expiring", "sms", 10, DAY10);
    assertEquals(List.of(d("expiring", 5)), reservedDraws(f, f.reserve(hold("r-1", line("sms", 5)))));
    f.step(s -> WalletRules.configure(
        s, new WalletSettings.SettingsUpdate(null, ConsumptionOrder.NON_EXPIRING_FIRST, null, null), f.now()));
    assertEquals(List.of(d("never", 10), d("expiring", 1)), reservedDraws(f, f.reserve(hold("r-2", line("sms", 11)))));
    // Each line of a multi-category reservation draws from its own category only.
    f.grant("email-1", "email", 5);
    List<Draw> multi = reservedDraws(f, f.reserve(hold("r-3", line("email", 3), line("sms", 2))));
    assertEquals(List.of(new Draw("email-1", "email", 3), d("expiring", 2)), multi);
    assertEquals(Map.of("email", 3L, "sms", 2L), Draws.perCategory(multi));
  }
}
