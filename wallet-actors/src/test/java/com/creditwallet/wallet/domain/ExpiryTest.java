package com.creditwallet.wallet.domain;

import static com.creditwallet.wallet.domain.WalletFixture.T0;
import static com.creditwallet.wallet.domain.WalletFixture.grantFor;
import static com.creditwallet.wallet.domain.WalletFixture.grantOn;
import static com.creditwallet.wallet.domain.WalletFixture.grantReq;
import static com.creditwallet.wallet.domain.WalletFixture.hold;
import static com.creditwallet.wallet.domain.WalletFixture.line;
import static com.creditwallet.wallet.domain.WalletFixture.refundReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsPruned;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Grant expiry forms, expiry of grants with pinned credits, extendExisting, pruning. */
class ExpiryTest {
  private static final WalletSettings.SettingsUpdate ROME =
      new WalletSettings.SettingsUpdate("Europe/Rome", ConsumptionOrder.NON_EXPIRING_FIRST, null, null);

  private static Instant expiryOf(WalletFixture f, GrantRequest r) {
    return f.only(GrantIssued.class, f.grant(r)).grant().expiresAt();
  }

  @Test
  void expiresOnIsTheEndOfThatDayInTheWalletsZoneAcrossDst() {
    WalletFixture f = WalletFixture.create(ROME);
    f.clock.set(Instant.parse("2027-01-01T00:00:00Z"));
    // 2027-03-28 is the day Italy moves to CEST (+02:00): the day ends at 22:00 UTC.
    assertEquals(Instant.parse("2027-03-28T22:00:00Z"), expiryOf(f, grantOn("g-dst", "sms", 10, GrantSource.PACKAGE, LocalDate.parse("2027-03-28"))));
    assertEquals(Instant.parse("2027-03-27T23:00:00Z"), expiryOf(f, grantOn("g-before", "sms", 10, GrantSource.PACKAGE, LocalDate.parse("2027-03-27"))));
    // 2027-10-31: back to CET (+01:00) during that day: it ends at 23:00 UTC.
    assertEquals(Instant.parse("2027-10-31T23:00:00Z"), expiryOf(f, grantOn("g-back", "sms", 10, GrantSource.PACKAGE, LocalDate.parse("2027-10-31"))));
    assertEquals(Instant.parse("2027-07-01T22:00:00Z"), expiryOf(f, grantOn("g-summer", "sms", 10, GrantSource.PACKAGE, LocalDate.parse("2027-07-01"))));
    // The same day in a UTC wallet ends at midnight UTC.
    WalletFixture utc = WalletFixture.create();
    assertEquals(Instant.parse("2027-03-29T00:00:00Z"), expiryOf(utc, grantOn("g", "sms", 10, GrantSource.PACKAGE, LocalDate.parse("2027-03-28"))));
    // The credits really expire at that instant, not a second before.
    f.clock.set(Instant.parse("2027-03-28T21:59:59Z"));
    assertEquals(List.of(), f.tick().stream().filter(e -> e instanceof GrantExpired ge && ge.grantId().equals("g-dst")).toList());
    f.clock.advanceSeconds(1);
    GrantExpired ge = f.only(GrantExpired.class, f.tick());
    assertEquals("g-dst", ge.grantId());
    assertEquals(10, ge.amount());
    assertEquals(Instant.parse("2027-03-28T22:00:00Z"), ge.at());
  }

  @Test
  void expiresOnTodayIsStillInTheFutureButYesterdayIsNot() {
    WalletFixture f = WalletFixture.create(ROME);
    f.clock.set(Instant.parse("2027-03-28T21:00:00Z"));
    assertEquals(Instant.parse("2027-03-28T22:00:00Z"), expiryOf(f, grantOn("today", "sms", 1, GrantSource.PROMO, LocalDate.parse("2027-03-28"))));
    Rejection r = f.reject(Rejection.INVALID_REQUEST, 400, s -> WalletRules.issueGrant(
        s, grantOn("yesterday", "sms", 1, GrantSource.PROMO, LocalDate.parse("2027-03-27")), f.now(), f.policy));
    assertEquals("expiresOn", r.extras().get("field"));
    Rejection past = f.reject(Rejection.INVALID_REQUEST, 400, s -> WalletRules.issueGrant(
        s, grantReq("past", "sms", 1, f.now()), f.now(), f.policy));
    assertEquals("expiresAt", past.extras().get("field"));
  }

  @Test
  void validForIsACalendarPeriodInTheWalletsZoneOrADuration() {
    WalletFixture f = WalletFixture.create(ROME);
    assertEquals(Instant.parse("2028-03-01T10:00:00Z"), expiryOf(f, grantFor("p2y", "sms", 10, GrantSource.PACKAGE, "P2Y", false)));
    assertEquals(T0.plus(Duration.ofHours(1)), expiryOf(f, grantFor("pt1h", "sms", 10, GrantSource.PROMO, "PT1H", false)));
    assertEquals(T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(2)), expiryOf(f, grantFor("p1dt2h", "sms", 10, GrantSource.PROMO, "P1DT2H", false)));
    // A calendar month in Rome from 2026-03-01 11:00 CET is 2026-04-01 11:00 CEST: 09:00 UTC.
    assertEquals(Instant.parse("2026-04-01T09:00:00Z"), expiryOf(f, grantFor("p1m", "sms", 10, GrantSource.PROMO, "P1M", false)));
    Rejection bad = f.reject(Rejection.INVALID_REQUEST, 400, s -> WalletRules.issueGrant(
        s, grantFor("bad", "sms", 10, GrantSource.PROMO, "2 years", false), f.now(), f.policy));
    assertEquals("validFor", bad.extras().get("field"));
    GrantRequest twoForms = new GrantRequest("two", "sms", 10, GrantSource.PROMO, T0.plusSeconds(60), LocalDate.parse("2027-01-01"), null, 0, false);
    f.reject(Rejection.INVALID_REQUEST, 400, s -> WalletRules.issueGrant(s, twoForms, f.now(), f.policy));
    assertNull(expiryOf(f, grantReq("never", "sms", 10)), "no expiry form: never expires");
    f.assertAudit("sms", 50, 0, 50, 0, 0, 0);
  }

  @Test
  void extendExistingMovesUnexpiredPackagesOfTheCategoryToTheLaterExpiry() {
    WalletFixture f = WalletFixture.create(ROME);
    f.grant(grantFor("pkg-1", "sms", 100, GrantSource.PACKAGE, "P1Y", false));
    f.grant(grantFor("pkg-old", "sms", 10, GrantSource.PACKAGE, "PT1H", false));
    f.grant(grantFor("pkg-long", "sms", 100, GrantSource.PACKAGE, "P5Y", false));
    f.grant(grantFor("promo", "sms", 100, GrantSource.PROMO, "P1Y", false));
    f.grant(grantFor("pkg-email", "email", 100, GrantSource.PACKAGE, "P1Y", false));
    f.grant(grantReq("pkg-never", "sms", 5, GrantSource.PACKAGE, null, 0));
    Instant oneYear = f.grantOf("pkg-1").expiresAt();
    f.advance(Duration.ofHours(2)); // pkg-old expires
    assertTrue(f.grantOf("pkg-old").expired());
    f.clock.advance(Duration.ofDays(30));
    GrantIssued e = f.only(GrantIssued.class, f.grant(grantFor("pkg-2", "sms", 100, GrantSource.PACKAGE, "P2Y", true)));
    Instant twoYears = e.grant().expiresAt();
    assertEquals(List.of("pkg-1"), e.extendedGrantIds());
    assertEquals(twoYears, f.grantOf("pkg-1").expiresAt());
    assertTrue(f.grantOf("pkg-long").expiresAt().isAfter(twoYears), "a later expiry is never shortened");
    assertEquals(oneYear, f.grantOf("promo").expiresAt(), "only PACKAGE grants move");
    assertEquals(oneYear, f.grantOf("pkg-email").expiresAt(), "only the same category moves");
    assertNull(f.grantOf("pkg-never").expiresAt());
    // The old deadline is gone: nothing of pkg-1 expires at its first expiry.
    f.clock.set(oneYear.plusSeconds(1));
    List<String> expired = f.tick().stream().map(x -> ((GrantExpired) x).grantId()).toList();
    assertEquals(List.of("pkg-email", "promo"), expired.stream().sorted().toList());
    assertFalse(f.grantOf("pkg-1").expired());
    f.clock.set(twoYears);
    List<WalletEvent> atTwo = f.tick();
    assertEquals(List.of("pkg-1", "pkg-2"), atTwo.stream().map(x -> ((GrantExpired) x).grantId()).toList());
    f.assertAudit("sms", 415, 0, 105, 0, 0, 310);
  }

  @Test
  void extendExistingIsForPackagesOnly() {
    WalletFixture f = WalletFixture.create();
    Rejection r = f.reject(Rejection.INVALID_REQUEST, 400, s -> WalletRules.issueGrant(
        s, grantFor("t", "sms", 500, GrantSource.TOPUP, "P2Y", true), f.now(), f.policy));
    assertEquals("extendExisting", r.extras().get("field"));
  }

  @Test
  void aGrantExpiresWithWhatIsLeft() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100, T0.plus(Duration.ofHours(1)));
    f.debit(hold("d-1", line("sms", 30)));
    GrantExpired e = f.only(GrantExpired.class, f.advance(Duration.ofHours(1)));
    assertEquals(70, e.amount());
    assertEquals(Map.of("sms", 0L), e.balances());
    assertTrue(f.grantOf("g").expired());
    assertEquals(0, f.remaining("g"));
    f.assertAudit("sms", 100, 0, 0, 0, 30, 70);
    f.reject(Rejection.INSUFFICIENT_CREDITS, 409,
        s -> WalletRules.reserve(s, hold("r-1", line("sms", 1)), ReservationKind.HOLD, f.now()));
    assertEquals(List.of(), f.advance(Duration.ofDays(1)), "a grant expires once");
  }

  @Test
  void aHoldCanStillCommitCreditsWhoseGrantExpired() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100, T0.plus(Duration.ofHours(1)));
    f.reserve(hold("r-1", 7200, line("sms", 30)));
    GrantExpired e = f.only(GrantExpired.class, f.advance(Duration.ofHours(1)));
    assertEquals(70, e.amount());
    f.assertAudit("sms", 100, 0, 0, 30, 0, 70);
    ReservationCommitted c = f.only(ReservationCommitted.class, f.commit("r-1"));
    assertEquals(List.of(new Draw("g", "sms", 30)), c.committed());
    f.assertAudit("sms", 100, 0, 0, 0, 30, 70);
    // A refund of those credits finds the grant expired: recorded, and expired at once.
    f.refund("r-1", refundReq("f-1", line("sms", 30)));
    f.assertAudit("sms", 100, 30, 0, 0, 30, 100);
  }

  @Test
  void creditsReleasedAfterTheirGrantExpiredExpireThen() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100, T0.plus(Duration.ofHours(1)));
    f.grant("keep", "sms", 10);
    f.reserve(hold("r-1", 7200, line("sms", 50)));
    f.reserve(hold("r-2", 7200, line("sms", 40)));
    f.reserve(hold("r-3", 7200, line("sms", 15)));
    assertEquals(Map.of("g", 10L, "keep", 5L), WalletFixture.draws(f.reservation("r-3").draws()));
    f.advance(Duration.ofHours(1));
    f.assertAudit("sms", 110, 0, 5, 105, 0, 0);

    ReservationReleased rel = f.only(ReservationReleased.class, f.release("r-1"));
    assertEquals(List.of(), rel.released());
    assertEquals(List.of(new Draw("g", "sms", 50)), rel.expiredOnRelease());
    assertEquals(0, f.remaining("g"), "credits never return to an expired grant");
    f.assertAudit("sms", 110, 0, 5, 55, 0, 50);

    ReservationCommitted part = f.only(ReservationCommitted.class, f.commit("r-2", line("sms", 15)));
    assertEquals(List.of(new Draw("g", "sms", 15)), part.committed());
    assertEquals(List.of(new Draw("g", "sms", 25)), part.expiredOnRelease());
    f.assertAudit("sms", 110, 0, 5, 15, 15, 75);

    // r-3 runs out its TTL: the expired grant's share expires, the live grant's share comes back.
    ReservationReleased ttl = f.only(ReservationReleased.class, f.advance(Duration.ofHours(1)));
    assertTrue(ttl.ttlExpired());
    assertEquals(List.of(new Draw("keep", "sms", 5)), ttl.released());
    assertEquals(List.of(new Draw("g", "sms", 10)), ttl.expiredOnRelease());
    assertEquals(10, f.remaining("keep"));
    f.assertAudit("sms", 110, 0, 10, 0, 15, 85);
  }

  @Test
  void atTheSameInstantHoldsReturnCreditsBeforeTheirGrantExpires() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100, T0.plusSeconds(600));
    f.reserve(hold("r-1", 600, line("sms", 40)));
    List<WalletEvent> due = f.advance(Duration.ofSeconds(600));
    assertEquals(2, due.size());
    ReservationReleased rel = (ReservationReleased) due.get(0);
    assertEquals(List.of(new Draw("g", "sms", 40)), rel.released());
    GrantExpired ge = (GrantExpired) due.get(1);
    assertEquals(100, ge.amount());
    f.assertAudit("sms", 100, 0, 0, 0, 0, 100);
  }

  @Test
  void finishedReservationsAreForgottenAfterTheRetention() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100);
    f.reserve(hold("r-1", line("sms", 10)));
    f.commit("r-1");
    f.reserve(hold("r-held", 7 * 24 * 3600, line("sms", 5)));
    Duration retention = f.policy.reservationRetention();
    assertEquals(Optional.of(T0.plus(retention)), f.state.nextDeadline(retention));
    f.clock.advance(retention.minusSeconds(1));
    assertEquals(List.of(), f.tick());
    f.refund("r-1", refundReq("f-1", line("sms", 1)));
    f.clock.advanceSeconds(1);
    ReservationsPruned p = f.only(ReservationsPruned.class, f.tick());
    assertEquals(List.of("r-1"), p.reservationIds());
    assertTrue(f.state.reservation("r-1").isEmpty());
    assertEquals(ReservationStatus.HELD, f.reservation("r-held").status(), "live holds are never pruned");
    f.reject(Rejection.RESERVATION_NOT_FOUND, 404,
        s -> WalletRules.refund(s, "r-1", refundReq("f-2", line("sms", 1)), f.now()));
    f.assertAudit("sms", 100, 1, 86, 5, 10, 0);
  }
}
