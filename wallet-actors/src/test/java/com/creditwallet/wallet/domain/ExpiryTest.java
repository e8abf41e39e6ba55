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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import com.creditwallet.wallet.domain.WalletEvent.GrantIssued;
import com.creditwallet.wallet.domain.WalletEvent.GrantsForgotten;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import com.creditwallet.wallet.domain.WalletEvent.ReservationRestored;
import com.creditwallet.wallet.domain.WalletEvent.ReservationsArchived;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Grant expiry forms, expiry of grants with pinned credits, extendExisting; the recent window,
 * the archive and forgotten grants; bounded catch-up of what fell due.
 */
class ExpiryTest {
  private static final WalletSettings.SettingsUpdate ROME =
      new WalletSettings.SettingsUpdate("Europe/Rome", ConsumptionOrder.NON_EXPIRING_FIRST, null, null);

  private static Instant expiryOf(WalletFixture f, GrantRequest r) {
    return f.only(GrantIssued.class, f.grant(r)).toGrant().expiresAt();
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
    Rejection r = f.reject(Rejection.INVALID_REQUEST, s -> GrantRules.issueGrant(
        s, grantOn("yesterday", "sms", 1, GrantSource.PROMO, LocalDate.parse("2027-03-27")), f.now()));
    assertEquals("expiresOn", r.extras().get("field"));
    Rejection past = f.reject(Rejection.INVALID_REQUEST, s -> GrantRules.issueGrant(
        s, grantReq("past", "sms", 1, f.now()), f.now()));
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
    Rejection bad = f.reject(Rejection.INVALID_REQUEST, s -> GrantRules.issueGrant(
        s, grantFor("bad", "sms", 10, GrantSource.PROMO, "2 years", false), f.now()));
    assertEquals("validFor", bad.extras().get("field"));
    GrantRequest twoForms = new GrantRequest("two", "sms", 10, GrantSource.PROMO, T0.plusSeconds(60), LocalDate.parse("2027-01-01"), null, 0, false);
    f.reject(Rejection.INVALID_REQUEST, s -> GrantRules.issueGrant(s, twoForms, f.now()));
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
    Instant twoYears = e.toGrant().expiresAt();
    assertEquals(List.of("pkg-1"), e.extendedGrantIds());
    assertEquals(twoYears, f.grantOf("pkg-1").expiresAt());
    assertTrue(f.grantOf("pkg-long").expiresAt().isAfter(twoYears), "a later expiry is never shortened");
    assertEquals(oneYear, f.grantOf("promo").expiresAt(), "only PACKAGE grants move");
    assertEquals(oneYear, f.grantOf("pkg-email").expiresAt(), "only the same category moves");
    assertNull(f.grantOf("pkg-never").expiresAt());
    // The old deadline is gone: nothing of pkg-1 expires at its first expiry.
    f.clock.set(oneYear.plusSeconds(1));
    List<WalletEvent> atOne = f.tick();
    List<String> expired = expiredIds(atOne);
    assertEquals(List.of("pkg-email", "promo"), expired.stream().sorted().toList());
    assertFalse(f.grantOf("pkg-1").expired());
    // pkg-old, spent long ago, is forgotten on the way (and only it).
    assertEquals(List.of(List.of("pkg-old")), forgottenIds(atOne));
    f.clock.set(twoYears);
    List<WalletEvent> atTwo = f.tick();
    assertEquals(List.of("pkg-1", "pkg-2"), expiredIds(atTwo));
    assertEquals(List.of(List.of("pkg-email", "promo")), forgottenIds(atTwo));
    assertEquals(atTwo.size(), expiredIds(atTwo).size() + 1, () -> "nothing else is due: " + atTwo);
    f.assertAudit("sms", 415, 0, 105, 0, 0, 310);
  }

  private static List<String> expiredIds(List<WalletEvent> events) {
    return events.stream().filter(x -> x instanceof GrantExpired).map(x -> ((GrantExpired) x).grantId()).toList();
  }

  private static List<List<String>> forgottenIds(List<WalletEvent> events) {
    return events.stream().filter(x -> x instanceof GrantsForgotten).map(x -> ((GrantsForgotten) x).grantIds()).toList();
  }

  @Test
  void extendExistingIsForPackagesOnly() {
    WalletFixture f = WalletFixture.create();
    Rejection r = f.reject(Rejection.INVALID_REQUEST, s -> GrantRules.issueGrant(
        s, grantFor("t", "sms", 500, GrantSource.TOPUP, "P2Y", true), f.now()));
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
    f.reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, hold("r-1", line("sms", 1)), ReservationKind.HOLD, f.now()));
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

  // ---- the recent window and the archive ----------------------------------------------------

  private static List<String> ids(List<Reservation> rs) {
    return rs.stream().map(Reservation::reservationId).toList();
  }

  /**
   * What the entity does once the archive write of what {@code archivable} listed is durable:
   * persists ReservationsArchived. Returns the archive's copies, read back through the archive's
   * flat schema (ReservationRecord), as the entity would find them later.
   */
  private static Map<String, Reservation> archive(WalletFixture f, List<Reservation> written) {
    Map<String, Integer> revisions = new TreeMap<>();
    Map<String, Reservation> stored = new TreeMap<>();
    for (Reservation r : written) {
      revisions.put(r.reservationId(), r.revision());
      stored.put(r.reservationId(), ReservationRecord.of(r).toReservation());
    }
    f.step(d -> List.of(d.emit(new ReservationsArchived(f.now(), revisions, Map.of()))));
    return stored;
  }

  /** The journal alone rebuilds the same wallet (archive events included). */
  private static void assertReplays(WalletFixture f) {
    WalletState replayed = WalletState.EMPTY;
    for (WalletEvent e : f.journal) replayed = replayed.apply(e);
    assertEquals(f.state.reservations(), replayed.reservations(), "replayed reservations");
    assertEquals(f.state.grants(), replayed.grants(), "replayed grants");
    assertEquals(f.state.totals(), replayed.totals(), "replayed totals");
    assertEquals(f.state.archivedTotal(), replayed.archivedTotal(), "replayed archivedTotal");
    assertEquals(f.state.recentCount(), replayed.recentCount(), "replayed recent window");
    assertEquals(f.state.openHolds(), replayed.openHolds(), "replayed open holds");
    assertEquals(f.state.nextDeadline(f.policy), replayed.nextDeadline(f.policy), "replayed next deadline");
  }

  @Test
  void aFinishedReservationIsArchivableOnlyAfterTheRecentWindowAndAnOpenHoldNever() {
    WalletFixture f = WalletFixture.create();
    WalletPolicy p = f.policy;
    Duration window = p.recentWindow();
    assertEquals(Duration.ofMinutes(10), window, "the default recent window");
    f.grant("g", "sms", 100);
    f.reserve(hold("r-1", line("sms", 10)));
    f.commit("r-1");
    f.reserve(hold("r-held", Validation.MAX_TTL_SECONDS, line("sms", 5)));
    f.clock.advance(Duration.ofMinutes(1));
    f.debit(hold("d-1", line("sms", 1)));
    assertEquals(2, f.state.recentCount());
    assertEquals(1, f.state.openHolds());
    // The wallet's next chore is r-1 leaving the recent window.
    assertEquals(Optional.of(T0.plus(window)), f.state.nextDeadline(p));

    assertEquals(List.of(), f.state.archivable(f.now(), p, 500), "both are recent");
    assertEquals(List.of(), f.state.archivable(T0.plus(window).minusMillis(1), p, 500));
    assertEquals(List.of("r-1"), ids(f.state.archivable(T0.plus(window), p, 500)), "r-1 once its window has passed");
    assertEquals(List.of("r-1", "d-1"), ids(f.state.archivable(T0.plus(window).plus(Duration.ofMinutes(1)), p, 500)),
        "oldest first");
    assertEquals(List.of("r-1"), ids(f.state.archivable(T0.plus(Duration.ofDays(6)), p, 1)), "at most the limit");
    // The open hold is never listed, however old.
    assertEquals(List.of("r-1", "d-1"), ids(f.state.archivable(T0.plus(Duration.ofDays(6)), p, 500)));
    // Listing changes nothing: the wallet keeps them until ReservationsArchived.
    assertEquals(2, f.state.recentCount());
    assertTrue(f.state.reservation("r-1").isPresent());
    // Once the hold is finished (its TTL ran out), it is archivable in its turn.
    f.clock.set(T0.plusSeconds(Validation.MAX_TTL_SECONDS));
    f.tick();
    assertEquals(ReservationStatus.EXPIRED, f.reservation("r-held").status());
    assertEquals(List.of("r-1", "d-1"), ids(f.state.archivable(f.now(), p, 500)));
    assertEquals(List.of("r-1", "d-1", "r-held"), ids(f.state.archivable(f.now().plus(window), p, 500)));
  }

  @Test
  void beyondRecentMaxTheOldestAreArchivableAtOnce() {
    WalletFixture f = WalletFixture.create();
    f.policy = WalletPolicy.DEFAULTS.withRecent(Duration.ofMinutes(10), 2);
    WalletPolicy p = f.policy;
    f.grant("g", "sms", 100);
    f.reserve(hold("r-open", line("sms", 1)));
    for (int i = 1; i <= 5; i++) {
      f.debit(hold("d-" + i, line("sms", 1)));
      f.clock.advanceSeconds(1);
    }
    assertEquals(5, f.state.recentCount());
    // All five are within the window; the three oldest are beyond the two allowed.
    assertEquals(List.of("d-1", "d-2", "d-3"), ids(f.state.archivable(f.now(), p, 500)));
    assertEquals(List.of("d-1", "d-2"), ids(f.state.archivable(f.now(), p, 2)), "at most the limit");
    // Past the window, all of them; the open hold never counts.
    assertEquals(List.of("d-1", "d-2", "d-3", "d-4", "d-5"),
        ids(f.state.archivable(f.now().plus(Duration.ofMinutes(10)), p, 500)));
    archive(f, f.state.archivable(f.now(), p, 500));
    assertEquals(2, f.state.recentCount());
    assertEquals(List.of(), f.state.archivable(f.now(), p, 500), "at the cap: nothing more until the window passes");
    assertEquals(3, f.state.archivedTotal());
    assertEquals(ReservationStatus.HELD, f.reservation("r-open").status());
  }

  @Test
  void reservationsArchivedRemovesThemUnlessTheirRevisionChangedSince() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100);
    f.reserve(hold("r-1", line("sms", 10)));
    f.commit("r-1");
    f.reserve(hold("r-2", line("sms", 20)));
    f.commit("r-2");
    f.reserve(hold("r-held", 7200, line("sms", 5)));
    f.advance(f.policy.recentWindow());
    List<Reservation> listed = f.state.archivable(f.now(), f.policy, 500);
    assertEquals(List.of("r-1", "r-2"), ids(listed));
    int listedRevision = f.reservation("r-2").revision();
    // While the archive write is in flight, r-2 is refunded: its revision moves on.
    f.refund("r-2", refundReq("f-1", line("sms", 5)));
    assertEquals(listedRevision + 1, f.reservation("r-2").revision());
    f.assertAudit("sms", 100, 5, 70, 5, 30, 0);

    archive(f, listed);
    assertTrue(f.state.reservation("r-1").isEmpty(), "archived: out of memory");
    Reservation kept = f.reservation("r-2");
    assertEquals(List.of(line("sms", 5)), kept.refunds().get("f-1").refundedAfter(),
        "the refunded copy stays, to be archived again");
    assertEquals(1, f.state.archivedTotal());
    assertEquals(1, f.state.recentCount());
    f.assertAudit("sms", 100, 5, 70, 5, 30, 0);
    // It is listed again, with its new revision, and that one is archived.
    List<Reservation> again = f.state.archivable(f.now(), f.policy, 500);
    assertEquals(List.of("r-2"), ids(again));
    assertEquals(listedRevision + 1, again.get(0).revision());
    archive(f, again);
    assertTrue(f.state.reservation("r-2").isEmpty());
    assertEquals(2, f.state.archivedTotal());
    // A repeated or stale ReservationsArchived changes nothing, and never touches an open hold.
    archive(f, listed);
    f.step(d -> List.of(d.emit(new ReservationsArchived(f.now(), Map.of("r-held", 0), Map.of()))));
    assertEquals(2, f.state.archivedTotal());
    assertEquals(ReservationStatus.HELD, f.reservation("r-held").status());
    assertEquals(1, f.state.openHolds());
    assertEquals(0, f.state.recentCount());
    f.assertAudit("sms", 100, 5, 70, 5, 30, 0);
    assertReplays(f);
  }

  @Test
  void aRefundOfAnArchivedReservationRestoresItThenRefunds() {
    WalletFixture f = WalletFixture.create();
    f.grant("g", "sms", 100);
    f.reserve(hold("r-1", line("sms", 10)));
    f.commit("r-1");
    f.advance(f.policy.recentWindow());
    Reservation beforeArchiving = f.reservation("r-1");
    Map<String, Reservation> archived = archive(f, f.state.archivable(f.now(), f.policy, 500));
    assertEquals(Map.of("r-1", beforeArchiving), archived, "the archive's flat schema keeps all of it");
    assertTrue(f.state.reservation("r-1").isEmpty());
    f.assertAudit("sms", 100, 0, 90, 0, 10, 0);
    RefundRequest bounce = refundReq("f-1", line("sms", 4));

    // What the archive did not find does not exist.
    f.reject(Rejection.RESERVATION_NOT_FOUND, d -> ReservationRules.refund(d, "r-1", bounce, f.now()));
    // A repeated commit answered from the archive restores nothing; other lines are still a conflict.
    assertEquals(List.of(), f.step(d -> ReservationRules.commit(d.withArchived(archived), "r-1", null, f.now())));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        d -> ReservationRules.commit(d.withArchived(archived), "r-1", List.of(line("sms", 9)), f.now()));

    List<WalletEvent> events = f.step(d -> ReservationRules.refund(d.withArchived(archived), "r-1", bounce, f.now()));
    assertEquals(2, events.size(), events::toString);
    ReservationRestored restored = assertInstanceOf(ReservationRestored.class, events.get(0));
    assertEquals(ReservationRecord.of(archived.get("r-1")), restored.reservation());
    CreditsRefunded refunded = assertInstanceOf(CreditsRefunded.class, events.get(1));
    assertEquals(List.of(new Draw("g", "sms", 4)), refunded.refunded());
    assertEquals(Map.of("sms", 94L), refunded.balances());
    assertEquals(94, f.remaining("g"), "the credits went back to their grant");
    f.assertAudit("sms", 100, 4, 94, 0, 10, 0);
    Reservation back = f.reservation("r-1");
    assertEquals(ReservationStatus.COMMITTED, back.status());
    assertEquals(Map.of("sms", 6L), back.refundable());
    assertEquals(archived.get("r-1").revision() + 1, back.revision());
    assertEquals(1, f.state.archivedTotal());

    // A retry of the same refund is answered as done, whether the stale archived copy is offered or not.
    assertEquals(List.of(), f.refund("r-1", bounce));
    assertEquals(List.of(), f.step(d -> ReservationRules.refund(d.withArchived(archived), "r-1", bounce, f.now())));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        d -> ReservationRules.refund(d, "r-1", refundReq("f-1", line("sms", 5)), f.now()));

    // Archived again (its finish time did not move), the retry is still answered from the archive.
    Map<String, Reservation> again = archive(f, f.state.archivable(f.now(), f.policy, 500));
    assertTrue(f.state.reservation("r-1").isEmpty());
    assertEquals(2, f.state.archivedTotal());
    assertEquals(List.of(), f.step(d -> ReservationRules.refund(d.withArchived(again), "r-1", bounce, f.now())),
        "no restore for a repeat");
    f.reject(Rejection.IDEMPOTENCY_CONFLICT, d -> ReservationRules.refund(d.withArchived(again), "r-1",
        new RefundRequest("f-1", List.of(line("sms", 4)), "OTHER"), f.now()));
    // A new refund of the rest, and no more than the rest.
    f.reject(Rejection.REFUND_EXCEEDS_COMMITTED,
        d -> ReservationRules.refund(d.withArchived(again), "r-1", refundReq("f-2", line("sms", 7)), f.now()));
    f.step(d -> ReservationRules.refund(d.withArchived(again), "r-1", refundReq("f-2", line("sms", 6)), f.now()));
    assertEquals(100, f.remaining("g"));
    f.assertAudit("sms", 100, 10, 100, 0, 10, 0);
    assertReplays(f);
  }

  @Test
  void aSpentGrantIsForgottenOnceTheRetentionHasPassedSinceItWasLastTouched() {
    WalletFixture f = WalletFixture.create();
    Duration after = f.policy.forgetGrantsAfter();
    assertEquals(Duration.ofDays(35).plus(Duration.ofMinutes(10)), after, "retention + recent window");
    f.grant("g", "sms", 10);
    f.grant("keep", "sms", 100);
    f.debit(hold("d-1", line("sms", 10)));
    assertEquals(0, f.remaining("g"));
    f.clock.set(T0.plus(after).minusSeconds(1));
    assertEquals(List.of(), forgottenIds(f.tick()), "not before");
    assertTrue(f.state.grant("g").isPresent());
    f.clock.set(T0.plus(after));
    GrantsForgotten e = f.only(GrantsForgotten.class, f.tick());
    assertEquals(List.of("g"), e.grantIds());
    assertEquals(Map.of(), e.balances(), "no balance changes");
    assertTrue(f.state.grant("g").isEmpty());
    assertEquals(100, f.remaining("keep"), "a grant with credits left is never forgotten");
    assertEquals(List.of(), f.advance(Duration.ofDays(400)), "forgotten once");
    f.assertAudit("sms", 110, 0, 100, 0, 10, 0);
  }

  @Test
  void aSpentGrantPinnedByAnOpenHoldIsNotForgottenUntilTheHoldIsDone() {
    WalletFixture f = WalletFixture.create();
    f.policy = new WalletPolicy(100, 100_000, Duration.ofHours(1)); // forgotten 1h10m after the last touch
    f.grant("p", "email", 10, T0.plus(Duration.ofHours(1)));
    f.grant("x", "sms", 5, T0.plus(Duration.ofMinutes(30)));
    f.reserve(hold("h", 4 * 3600, line("email", 10)));
    assertEquals(0, f.remaining("p"));
    // x expires unused at 30 min and is forgotten 1h10m later; p expires at 1h but h pins it.
    f.clock.set(T0.plus(Duration.ofMinutes(100)));
    assertEquals(List.of(List.of("x")), forgottenIds(f.tick()));
    f.clock.set(T0.plus(Duration.ofHours(3)));
    assertEquals(List.of(), forgottenIds(f.tick()), "h still pins p");
    assertTrue(f.grantOf("p").expired());
    // h runs out at 4h: its credits expire with p, which is touched then, and forgotten 1h10m later.
    f.clock.set(T0.plus(Duration.ofHours(4)));
    ReservationReleased rel = f.only(ReservationReleased.class, f.tick());
    assertEquals(List.of(new Draw("p", "email", 10)), rel.expiredOnRelease());
    f.clock.set(T0.plus(Duration.ofHours(5)).plus(Duration.ofMinutes(10)).minusSeconds(1));
    assertEquals(List.of(), f.tick());
    f.clock.advanceSeconds(1);
    assertEquals(List.of("p"), f.only(GrantsForgotten.class, f.tick()).grantIds());
    assertTrue(f.state.grants().isEmpty());
    f.assertAudit("email", 10, 0, 0, 0, 0, 10);
    f.assertAudit("sms", 5, 0, 0, 0, 0, 5);
    assertReplays(f);
  }

  @Test
  void aLongDowntimeIsCaughtUpInBoundedDecisions() {
    WalletFixture f = WalletFixture.create();
    f.policy = WalletPolicy.DEFAULTS.withLimits(100_000, 200);
    f.grant("g", "sms", 1000);
    for (int i = 0; i < 500; i++) f.reserve(hold(String.format("h-%03d", i), 60, line("sms", 1)));
    assertEquals(500, f.state.openHolds());
    f.assertAudit("sms", 1000, 0, 500, 500, 0, 0);
    f.clock.advance(Duration.ofHours(2));
    List<Integer> sizes = new ArrayList<>();
    boolean caughtUp = false;
    while (!caughtUp) {
      assertTrue(sizes.size() < 10, "runaway catch-up");
      Decision d = new Decision(f.state, f.policy);
      caughtUp = DeadlineRules.applyDue(d, f.now());
      sizes.add(d.size());
      assertTrue(d.size() <= f.policy.maxEventsPerWrite(), () -> "a write of " + d.size() + " events");
      f.journal.addAll(d.events());
      f.state = d.state();
      f.assertConsistent();
      if (!caughtUp) {
        assertTrue(f.state.openHolds() > 0, "false only while more is due");
      }
    }
    assertEquals(List.of(200, 200, 100), sizes, "3 decisions");
    assertEquals(0, f.state.openHolds());
    assertTrue(f.state.reservations().values().stream().allMatch(r -> r.status() == ReservationStatus.EXPIRED));
    f.assertAudit("sms", 1000, 0, 1000, 0, 0, 0);
    assertEquals(List.of(), f.tick(), "nothing more is due");
    assertReplays(f);
  }
}
