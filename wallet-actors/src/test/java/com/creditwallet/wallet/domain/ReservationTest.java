package com.creditwallet.wallet.domain;

import static com.creditwallet.wallet.domain.WalletFixture.T0;
import static com.creditwallet.wallet.domain.WalletFixture.hold;
import static com.creditwallet.wallet.domain.WalletFixture.line;
import static com.creditwallet.wallet.domain.WalletFixture.partial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import com.creditwallet.wallet.domain.WalletEvent.ReservationCommitted;
import com.creditwallet.wallet.domain.WalletEvent.ReservationReleased;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Holds: atomicity, partial reservations, commit and release lifecycles, idempotency. */
class ReservationTest {

  private static WalletFixture smsAndEmail() {
    WalletFixture f = WalletFixture.create();
    f.grant("sms-1", "sms", 100);
    f.grant("email-1", "email", 10);
    return f;
  }

  @Test
  void aReservationHoldsCreditsUntilItsTtl() {
    WalletFixture f = smsAndEmail();
    CreditsReserved e = f.only(CreditsReserved.class, f.reserve(hold("r-1", 120, line("sms", 30))));
    assertEquals(ReservationKind.HOLD, e.kind());
    assertEquals(List.of(line("sms", 30)), e.lines());
    assertEquals(T0.plusSeconds(120), e.expiresAt());
    assertEquals(Map.of("sms", 70L), e.balances());
    Reservation r = f.reservation("r-1");
    assertEquals(ReservationStatus.HELD, r.status());
    assertEquals(T0, r.createdAt());
    f.assertAudit("sms", 100, 0, 70, 30, 0, 0);
    f.assertAudit("email", 10, 0, 10, 0, 0, 0);
  }

  @Test
  void multiLineReservationIsAtomic() {
    WalletFixture f = smsAndEmail();
    Rejection r = f.reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, hold("r-1", line("sms", 50), line("email", 11)), ReservationKind.HOLD, f.now()));
    assertEquals(Map.of("sms", 100L, "email", 10L), r.extras().get("available"));
    assertTrue(f.state.reservation("r-1").isEmpty(), "a refused reservation is not recorded");
    assertEquals(100, f.remaining("sms-1"));
    assertEquals(10, f.remaining("email-1"));
    f.assertAudit("sms", 100, 0, 100, 0, 0, 0);
    f.assertAudit("email", 10, 0, 10, 0, 0, 0);
    // The id was not used up: the affordable request goes through under the same id.
    CreditsReserved ok = f.only(CreditsReserved.class, f.reserve(hold("r-1", line("sms", 50), line("email", 10))));
    assertEquals(Map.of("sms", 50L, "email", 0L), ok.balances());
    f.assertAudit("sms", 100, 0, 50, 50, 0, 0);
    f.assertAudit("email", 10, 0, 0, 10, 0, 0);
  }

  /** The entity checks lines itself, as the gateway does, and names the line at fault. */
  @Test
  void badLinesAreRefusedNamingTheLineAndNothingIsHeld() {
    WalletFixture f = smsAndEmail();
    Rejection twice = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(
        s, hold("r-1", line("sms", 1), line("email", 1), line("sms", 2)), ReservationKind.HOLD, f.now()));
    assertEquals("lines[2].category", twice.extras().get("field"));
    Rejection unknown = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(
        s, hold("r-1", line("sms", 1), line("push", 1)), ReservationKind.HOLD, f.now()));
    assertEquals("lines[1].category", unknown.extras().get("field"));
    Rejection badName = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(
        s, hold("r-1", line("sms", 1), line("SMS", 1)), ReservationKind.HOLD, f.now()));
    assertEquals("lines[1].category", badName.extras().get("field"));
    Rejection zero = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(
        s, hold("r-1", line("email", 0)), ReservationKind.HOLD, f.now()));
    assertEquals("lines[0].amount", zero.extras().get("field"));
    Line[] tooMany = new Line[Validation.MAX_LINES + 1];
    java.util.Arrays.fill(tooMany, line("sms", 1));
    Rejection many = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(
        s, hold("r-1", tooMany), ReservationKind.HOLD, f.now()));
    assertEquals("lines", many.extras().get("field"));
    assertTrue(f.state.reservation("r-1").isEmpty());
    f.assertAudit("sms", 100, 0, 100, 0, 0, 0);
  }

  @Test
  void allowPartialTakesWhatIsAffordableAndRefusesWhenNothingIs() {
    WalletFixture f = WalletFixture.create();
    f.grant("sms-1", "sms", 30);
    CreditsReserved e = f.only(CreditsReserved.class, f.reserve(partial("r-1", line("sms", 50))));
    assertEquals(List.of(line("sms", 30)), e.lines());
    assertEquals(List.of(line("sms", 50)), e.toRequest().lines(), "the request is kept as asked");
    assertEquals(List.of(line("sms", 30)), f.reservation("r-1").lines());
    f.assertAudit("sms", 30, 0, 0, 30, 0, 0);
    Rejection r = f.reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, partial("r-2", line("sms", 1)), ReservationKind.HOLD, f.now()));
    assertEquals(Map.of("sms", 0L), r.extras().get("available"));
    // When everything is affordable, allowPartial takes everything asked.
    f.grant("sms-2", "sms", 100);
    assertEquals(List.of(line("sms", 40)),
        f.only(CreditsReserved.class, f.reserve(partial("r-3", line("sms", 40)))).lines());
    f.assertAudit("sms", 130, 0, 60, 70, 0, 0);
  }

  @Test
  void allowPartialNeedsExactlyOneLine() {
    WalletFixture f = smsAndEmail();
    ReserveRequest two = new ReserveRequest("r-1", List.of(line("sms", 5), line("email", 5)), null, 900, true, null);
    Rejection r = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(s, two, ReservationKind.HOLD, f.now()));
    assertEquals("allowPartial", r.extras().get("field"));
  }

  @Test
  void unknownCategoryAndBadInputAreInvalidRequests() {
    WalletFixture f = smsAndEmail();
    Rejection unknown = f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.reserve(s, hold("r-1", line("sms", 1), line("push", 1)), ReservationKind.HOLD, f.now()));
    assertEquals("lines[1].category", unknown.extras().get("field"));
    assertField(f, "lines[0].category", hold("r-1", line("SMS", 1)));
    assertField(f, "lines[0].amount", hold("r-1", line("sms", 0)));
    assertField(f, "lines[0].amount", hold("r-1", line("sms", -3)));
    assertField(f, "lines[0].amount", hold("r-1", line("sms", Validation.MAX_AMOUNT + 1)));
    assertField(f, "lines[1].category", hold("r-1", line("sms", 1), line("sms", 2)));
    assertField(f, "lines", new ReserveRequest("r-1", List.of(), null, 900, false, null));
    assertField(f, "reservationId", hold("bad id", line("sms", 1)));
    assertField(f, "reservationId", hold("x".repeat(65), line("sms", 1)));
    assertField(f, "ttlSeconds", hold("r-1", 0, line("sms", 1)));
    assertField(f, "ttlSeconds", hold("r-1", Validation.MAX_TTL_SECONDS + 1, line("sms", 1)));
    assertField(f, "subBudget", new ReserveRequest("r-1", List.of(line("sms", 1)), "a b", 900, false, null));
    assertField(f, "reference", new ReserveRequest("r-1", List.of(line("sms", 1)), null, 900, false, "r".repeat(257)));
    // The limits themselves are fine.
    f.reserve(hold("r-max", Validation.MAX_TTL_SECONDS, line("sms", 1)));
    f.reserve(hold("x".repeat(64), 1, line("sms", 1)));
    f.assertAudit("sms", 100, 0, 98, 2, 0, 0);
  }

  private static void assertField(WalletFixture f, String field, ReserveRequest req) {
    Rejection r = f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.reserve(s, req, ReservationKind.HOLD, f.now()));
    assertEquals(field, r.extras().get("field"), r::getMessage);
  }

  @Test
  void sameIdSameRequestChangesNothingAndADifferentBodyIsAConflict() {
    WalletFixture f = smsAndEmail();
    ReserveRequest req = hold("r-1", line("sms", 10));
    f.reserve(req);
    assertEquals(List.of(), f.reserve(hold("r-1", line("sms", 10))), "retry: no events");
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.reserve(s, hold("r-1", line("sms", 11)), ReservationKind.HOLD, f.now()));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.reserve(s, hold("r-1", 60, line("sms", 10)), ReservationKind.HOLD, f.now()));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.reserve(s, req, ReservationKind.DEBIT, f.now()));
    f.commit("r-1");
    assertEquals(List.of(), f.reserve(req), "a retry after commit changes nothing either");
    // Even when the retry would no longer be affordable, it is still the same reservation.
    f.reserve(hold("r-2", line("sms", 90)));
    assertEquals(List.of(), f.reserve(req));
    f.assertAudit("sms", 100, 0, 0, 90, 10, 0);
  }

  @Test
  void fullCommitMovesHeldToCommitted() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", line("sms", 30), line("email", 4)));
    ReservationCommitted c = f.only(ReservationCommitted.class, f.commit("r-1"));
    assertEquals(List.of(new Draw("sms-1", "sms", 30), new Draw("email-1", "email", 4)), c.committed());
    assertEquals(List.of(), c.released());
    assertEquals(List.of(), c.expiredOnRelease());
    Reservation r = f.reservation("r-1");
    assertEquals(ReservationStatus.COMMITTED, r.status());
    assertEquals(T0, r.settledAt());
    f.assertAudit("sms", 100, 0, 70, 0, 30, 0);
    f.assertAudit("email", 10, 0, 6, 0, 4, 0);
  }

  @Test
  void partialCommitReleasesTheRestToTheGrantsItCameFrom() {
    WalletFixture f = WalletFixture.create();
    f.grant("soon", "sms", 20, T0.plus(Duration.ofDays(1)));
    f.grant("later", "sms", 30, T0.plus(Duration.ofDays(5)));
    f.grant("never", "sms", 50);
    f.grant("email-1", "email", 10);
    f.reserve(hold("r-1", line("sms", 60), line("email", 6)));
    assertEquals(Map.of("soon", 20L, "later", 30L, "never", 10L, "email-1", 6L), WalletFixture.draws(f.reservation("r-1").draws()));
    // Commit 25 sms (the email line is omitted: all of it goes back).
    ReservationCommitted c = f.only(ReservationCommitted.class, f.commit("r-1", line("sms", 25)));
    assertEquals(List.of(new Draw("soon", "sms", 20), new Draw("later", "sms", 5)), c.committed());
    assertEquals(
        List.of(new Draw("later", "sms", 25), new Draw("never", "sms", 10), new Draw("email-1", "email", 6)),
        c.released());
    assertEquals(0, f.remaining("soon"));
    assertEquals(25, f.remaining("later"));
    assertEquals(50, f.remaining("never"));
    assertEquals(10, f.remaining("email-1"));
    assertEquals(Map.of("sms", 75L, "email", 10L), c.balances());
    f.assertAudit("sms", 100, 0, 75, 0, 25, 0);
    f.assertAudit("email", 10, 0, 10, 0, 0, 0);
    assertEquals(List.of(line("sms", 25)), Draws.lines(f.reservation("r-1").committed()));
    // Repeating the commit (the same lines) changes nothing; "everything" now asks for more: a conflict.
    assertEquals(List.of(), f.commit("r-1", line("sms", 25)));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT, s -> ReservationRules.commit(s, "r-1", null, f.now()));
  }

  @Test
  void commitRefusals() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", line("sms", 10)));
    Rejection more = f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 11)), f.now()));
    assertEquals("lines[0].amount", more.extras().get("field"));
    Rejection other = f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.commit(s, "r-1", List.of(line("email", 1)), f.now()));
    assertEquals("lines[0].amount", other.extras().get("field"));
    f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.commit(s, "r-1", List.of(), f.now()));
    f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 1), line("sms", 1)), f.now()));
    f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 0)), f.now()));
    f.reject(Rejection.RESERVATION_NOT_FOUND, s -> ReservationRules.commit(s, "nope", null, f.now()));
    assertEquals(ReservationStatus.HELD, f.reservation("r-1").status());
    f.assertAudit("sms", 100, 0, 90, 10, 0, 0);
  }

  @Test
  void commitAfterReleaseIsRefusedAndReleaseRepeats() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", line("sms", 10)));
    ReservationReleased rel = f.only(ReservationReleased.class, f.release("r-1"));
    assertFalse(rel.ttlExpired());
    assertEquals(List.of(new Draw("sms-1", "sms", 10)), rel.released());
    assertEquals(ReservationStatus.RELEASED, f.reservation("r-1").status());
    f.assertAudit("sms", 100, 0, 100, 0, 0, 0);
    assertEquals(List.of(), f.release("r-1"), "repeated release: no events");
    f.reject(Rejection.RESERVATION_RELEASED, s -> ReservationRules.commit(s, "r-1", null, f.now()));
    f.reject(Rejection.RESERVATION_RELEASED, s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 1)), f.now()));
    f.reject(Rejection.RESERVATION_NOT_FOUND, s -> ReservationRules.release(s, "nope", f.now()));
    f.assertAudit("sms", 100, 0, 100, 0, 0, 0);
  }

  @Test
  void releaseAfterCommitIsRefused() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", line("sms", 10)));
    f.commit("r-1");
    f.reject(Rejection.RESERVATION_COMMITTED, s -> ReservationRules.release(s, "r-1", f.now()));
    assertEquals(List.of(), f.commit("r-1"), "repeated commit: no events");
    f.assertAudit("sms", 100, 0, 90, 0, 10, 0);
  }

  @Test
  void holdTtlExpiryReturnsTheCredits() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", 60, line("sms", 10), line("email", 2)));
    f.clock.advanceSeconds(59);
    assertEquals(List.of(), f.tick());
    assertEquals(ReservationStatus.HELD, f.reservation("r-1").status());
    f.clock.advanceSeconds(30);
    ReservationReleased e = f.only(ReservationReleased.class, f.tick());
    assertTrue(e.ttlExpired());
    assertEquals(T0.plusSeconds(60), e.at(), "expires at its deadline, not when noticed");
    assertEquals(Map.of("sms", 100L, "email", 10L), e.balances());
    Reservation r = f.reservation("r-1");
    assertEquals(ReservationStatus.EXPIRED, r.status());
    assertEquals(T0.plusSeconds(60), r.settledAt());
    f.assertAudit("sms", 100, 0, 100, 0, 0, 0);
    f.assertAudit("email", 10, 0, 10, 0, 0, 0);
    // After expiry: commit is refused, release is a harmless repeat.
    f.reject(Rejection.RESERVATION_EXPIRED, s -> ReservationRules.commit(s, "r-1", null, f.now()));
    assertEquals(List.of(), f.release("r-1"));
    assertEquals(List.of(), f.tick(), "nothing more is due");
  }

  @Test
  void aCommandAfterTheTtlSeesTheHoldExpiredFirst() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", 60, line("sms", 100)));
    f.clock.advanceSeconds(61);
    // The commit comes too late: the due expiry is applied before the rule runs.
    f.reject(Rejection.RESERVATION_EXPIRED, s -> ReservationRules.commit(s, "r-1", null, f.now()));
    assertTrue(f.last.get(0) instanceof ReservationReleased rr && rr.ttlExpired());
    // The returned credits are spendable by the next reservation.
    f.reserve(hold("r-2", line("sms", 100)));
    f.assertAudit("sms", 100, 0, 0, 100, 0, 0);
  }

  @Test
  void debitReservesAndCommitsInOneStep() {
    WalletFixture f = smsAndEmail();
    List<WalletEvent> events = f.debit(hold("d-1", line("sms", 7)));
    assertEquals(2, events.size());
    CreditsReserved reserved = (CreditsReserved) events.get(0);
    assertEquals(ReservationKind.DEBIT, reserved.kind());
    assertNull(reserved.expiresAt(), "a debit has no TTL");
    assertTrue(events.get(1) instanceof ReservationCommitted);
    assertEquals(ReservationStatus.COMMITTED, f.reservation("d-1").status());
    f.assertAudit("sms", 100, 0, 93, 0, 7, 0);
    assertEquals(List.of(), f.debit(hold("d-1", line("sms", 7))), "retry: no events");
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.reserve(s, hold("d-1", line("sms", 8)), ReservationKind.DEBIT, f.now()));
    Rejection conflict = f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.reserve(s, hold("d-1", line("sms", 7)), ReservationKind.HOLD, f.now()));
    assertTrue(conflict.detail().contains("reservationId"), conflict.detail());
    f.reject(Rejection.RESERVATION_COMMITTED, s -> ReservationRules.release(s, "d-1", f.now()));
    Rejection badId = f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.reserve(s, hold("d 1", line("sms", 7)), ReservationKind.DEBIT, f.now()));
    assertEquals("debitId", badId.extras().get("field"));
    // A debit has no TTL, so ttlSeconds is not checked.
    f.debit(hold("d-2", 0, line("sms", 3)));
    f.assertAudit("sms", 100, 0, 90, 0, 10, 0);
  }

  @Test
  void aRepeatedCommitAskingForOtherAmountsIsAConflictAndForTheSameANoOp() {
    WalletFixture f = smsAndEmail();
    f.reserve(hold("r-1", line("sms", 30), line("email", 4)));
    f.commit("r-1", line("sms", 20)); // the email line is omitted: all of it went back
    f.assertAudit("sms", 100, 0, 80, 0, 20, 0);
    assertEquals(List.of(), f.commit("r-1", line("sms", 20)), "same lines: no events");
    // No lines means everything held: not what this commit took.
    f.reject(Rejection.IDEMPOTENCY_CONFLICT, s -> ReservationRules.commit(s, "r-1", null, f.now()));
    Rejection other = f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 21)), f.now()));
    assertTrue(other.detail().contains("r-1"), other.detail());
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 20), line("email", 1)), f.now()));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.commit(s, "r-1", List.of(line("email", 4)), f.now()));
    // Lines that were never possible stay invalid, not a conflict.
    f.reject(Rejection.INVALID_REQUEST, s -> ReservationRules.commit(s, "r-1", List.of(line("sms", 31)), f.now()));

    // After a full commit, a repeat without lines or with its exact lines is the same commit.
    f.reserve(hold("r-2", line("sms", 10), line("email", 2)));
    f.commit("r-2");
    assertEquals(List.of(), f.commit("r-2"));
    assertEquals(List.of(), f.commit("r-2", line("sms", 10), line("email", 2)));
    assertEquals(List.of(), f.commit("r-2", line("email", 2), line("sms", 10)), "order aside");
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.commit(s, "r-2", List.of(line("sms", 10)), f.now()));
    // A debit is a full commit too.
    f.debit(hold("d-1", line("sms", 5)));
    assertEquals(List.of(), f.commit("d-1"));
    assertEquals(List.of(), f.commit("d-1", line("sms", 5)));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT, s -> ReservationRules.commit(s, "d-1", List.of(line("sms", 4)), f.now()));
    f.assertAudit("sms", 100, 0, 65, 0, 35, 0);
    f.assertAudit("email", 10, 0, 8, 0, 2, 0);
  }

  @Test
  void openHoldsAreCappedAndADebitIsNotAnOpenHold() {
    WalletFixture f = smsAndEmail();
    f.policy = WalletPolicy.DEFAULTS.withLimits(2, 200);
    f.reserve(hold("h-1", line("sms", 1)));
    f.reserve(hold("h-2", 60, line("sms", 1)));
    assertEquals(2, f.state.openHolds());
    Rejection r = f.reject(Rejection.TOO_MANY_OPEN_HOLDS,
        s -> ReservationRules.reserve(s, hold("h-3", line("sms", 1)), ReservationKind.HOLD, f.now()));
    assertEquals(2L, r.extras().get("openHolds"));
    assertEquals(2L, r.extras().get("maxOpenHolds"));
    assertTrue(f.state.reservation("h-3").isEmpty());
    // A debit holds nothing open: it goes through at the cap and leaves the count as it was.
    assertEquals(2, f.debit(hold("d-1", line("sms", 5))).size());
    assertEquals(2, f.state.openHolds());
    // A retry of an existing hold is answered, not counted again.
    assertEquals(List.of(), f.reserve(hold("h-1", line("sms", 1))));
    // A commit, a release or an expiry makes room.
    f.commit("h-1");
    assertEquals(1, f.state.openHolds());
    f.reserve(hold("h-3", line("sms", 1)));
    f.reject(Rejection.TOO_MANY_OPEN_HOLDS,
        s -> ReservationRules.reserve(s, hold("h-4", line("sms", 1)), ReservationKind.HOLD, f.now()));
    f.clock.advanceSeconds(60); // h-2 runs out
    f.reserve(hold("h-4", line("sms", 1)));
    assertEquals(2, f.state.openHolds());
    assertEquals(ReservationStatus.EXPIRED, f.reservation("h-2").status());
    f.assertAudit("sms", 100, 0, 92, 2, 6, 0);
  }
}
