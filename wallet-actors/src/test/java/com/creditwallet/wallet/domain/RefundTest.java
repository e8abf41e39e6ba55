package com.creditwallet.wallet.domain;

import static com.creditwallet.wallet.domain.WalletFixture.T0;
import static com.creditwallet.wallet.domain.WalletFixture.hold;
import static com.creditwallet.wallet.domain.WalletFixture.line;
import static com.creditwallet.wallet.domain.WalletFixture.refundReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.WalletEvent.CreditsRefunded;
import com.creditwallet.wallet.domain.WalletEvent.GrantExpired;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefundTest {

  /** Seed 002: 100 email credits, a send of 10 committed. */
  private static WalletFixture committed10() {
    WalletFixture f = WalletFixture.create();
    f.grant("email-1", "email", 100);
    f.reserve(hold("r-1", line("email", 10)));
    f.commit("r-1");
    return f;
  }

  @Test
  void aBouncedSendIsRefundedToItsGrant() {
    WalletFixture f = committed10();
    CreditsRefunded e = f.only(CreditsRefunded.class, f.refund("r-1", refundReq("f-1", line("email", 1))));
    assertEquals(List.of(new Draw("email-1", "email", 1)), e.refunded());
    assertEquals(List.of(), e.expiredOnRefund());
    assertEquals(List.of(), e.creditedGrants());
    assertEquals(Map.of("email", 91L), e.balances());
    assertEquals(91, f.remaining("email-1"));
    Reservation r = f.reservation("r-1");
    assertEquals(ReservationStatus.COMMITTED, r.status());
    assertEquals(Map.of("email", 9L), r.refundable());
    f.assertAudit("email", 100, 1, 91, 0, 10, 0);
  }

  @Test
  void refundsAreLimitedToTheCommittedAmountAcrossRefundIds() {
    WalletFixture f = committed10();
    Rejection tooMuch = f.reject(Rejection.REFUND_EXCEEDS_COMMITTED,
        s -> ReservationRules.refund(s, "r-1", refundReq("f-1", line("email", 11)), f.now()));
    assertEquals(Map.of("email", 10L), tooMuch.extras().get("refundable"));
    f.refund("r-1", refundReq("f-1", line("email", 6)));
    f.refund("r-1", refundReq("f-2", line("email", 4)));
    f.assertAudit("email", 100, 10, 100, 0, 10, 0);
    Rejection past = f.reject(Rejection.REFUND_EXCEEDS_COMMITTED,
        s -> ReservationRules.refund(s, "r-1", refundReq("f-3", line("email", 1)), f.now()));
    assertEquals(Map.of("email", 0L), past.extras().get("refundable"));
    f.reject(Rejection.REFUND_EXCEEDS_COMMITTED,
        s -> ReservationRules.refund(s, "r-1", refundReq("f-4", line("sms", 1)), f.now()));
    f.assertAudit("email", 100, 10, 100, 0, 10, 0);
  }

  @Test
  void refundIdempotency() {
    WalletFixture f = committed10();
    f.refund("r-1", refundReq("f-1", line("email", 10)));
    // Same refundId and body: nothing happens, even though nothing is refundable any more.
    assertEquals(List.of(), f.refund("r-1", refundReq("f-1", line("email", 10))));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.refund(s, "r-1", refundReq("f-1", line("email", 9)), f.now()));
    f.reject(Rejection.IDEMPOTENCY_CONFLICT,
        s -> ReservationRules.refund(s, "r-1", new RefundRequest("f-1", List.of(line("email", 10)), "OTHER"), f.now()));
    f.assertAudit("email", 100, 10, 100, 0, 10, 0);
    assertEquals(1, f.reservation("r-1").refunds().size());
  }

  @Test
  void refundsGoBackToTheOriginGrantsMostRecentlyDrawnFirst() {
    WalletFixture f = WalletFixture.create();
    f.grant("a", "sms", 5, T0.plus(Duration.ofDays(1)));
    f.grant("b", "sms", 5, T0.plus(Duration.ofDays(2)));
    f.grant("c", "sms", 100);
    f.grant("e", "email", 10);
    f.reserve(hold("r-1", line("sms", 12), line("email", 3)));
    f.commit("r-1", line("sms", 11), line("email", 3));
    assertEquals(Map.of("a", 5L, "b", 5L, "c", 1L, "e", 3L), WalletFixture.draws(f.reservation("r-1").committed()));
    assertEquals(0, f.remaining("a"));
    assertEquals(0, f.remaining("b"));
    assertEquals(99, f.remaining("c"));

    CreditsRefunded first = f.only(CreditsRefunded.class, f.refund("r-1", refundReq("f-1", line("sms", 4))));
    assertEquals(List.of(new Draw("c", "sms", 1), new Draw("b", "sms", 3)), first.refunded());
    CreditsRefunded second = f.only(CreditsRefunded.class,
        f.refund("r-1", refundReq("f-2", line("sms", 4), line("email", 1))));
    assertEquals(List.of(new Draw("e", "email", 1), new Draw("b", "sms", 2), new Draw("a", "sms", 2)), second.refunded());
    assertEquals(2, f.remaining("a"));
    assertEquals(5, f.remaining("b"));
    assertEquals(100, f.remaining("c"));
    assertEquals(8, f.remaining("e"));
    assertEquals(Map.of("sms", 3L, "email", 2L), f.reservation("r-1").refundable());
    f.assertAudit("sms", 110, 8, 107, 0, 11, 0);
    f.assertAudit("email", 10, 1, 8, 0, 3, 0);
    f.refund("r-1", refundReq("f-3", line("sms", 3)));
    assertEquals(5, f.remaining("a"));
    f.assertAudit("sms", 110, 11, 110, 0, 11, 0);
  }

  @Test
  void aRefundIntoAGrantThatExpiredMeanwhileIsRecordedAndExpiresAtOnce() {
    WalletFixture f = WalletFixture.create();
    f.grant("soon", "sms", 10, T0.plus(Duration.ofHours(1)));
    f.grant("never", "sms", 10);
    f.reserve(hold("r-1", line("sms", 15)));
    f.commit("r-1");
    GrantExpired exp = f.only(GrantExpired.class, f.advance(Duration.ofHours(2)));
    assertEquals(0, exp.amount(), "nothing was left in the grant");
    CreditsRefunded e = f.only(CreditsRefunded.class, f.refund("r-1", refundReq("f-1", line("sms", 15))));
    assertEquals(List.of(new Draw("never", "sms", 5), new Draw("soon", "sms", 10)), e.refunded());
    assertEquals(List.of(new Draw("soon", "sms", 10)), e.expiredOnRefund());
    assertEquals(Map.of("sms", 10L), e.balances());
    assertEquals(0, f.remaining("soon"));
    assertTrue(f.grantOf("soon").expired());
    assertEquals(10, f.remaining("never"));
    f.assertAudit("sms", 20, 15, 10, 0, 15, 10);
    assertEquals(Map.of("sms", 0L), f.reservation("r-1").refundable());
  }

  @Test
  void refundRefusals() {
    WalletFixture f = committed10();
    f.reserve(hold("r-held", line("email", 5)));
    f.reject(Rejection.REFUND_EXCEEDS_COMMITTED,
        s -> ReservationRules.refund(s, "r-held", refundReq("f-1", line("email", 1)), f.now()));
    f.reject(Rejection.RESERVATION_NOT_FOUND,
        s -> ReservationRules.refund(s, "nope", refundReq("f-1", line("email", 1)), f.now()));
    Rejection badId = f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.refund(s, "r-1", refundReq("bad id", line("email", 1)), f.now()));
    assertEquals("refundId", badId.extras().get("field"));
    f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.refund(s, "r-1", new RefundRequest("f-1", List.of(), null), f.now()));
    f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.refund(s, "r-1", refundReq("f-1", line("email", 0)), f.now()));
    f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.refund(s, "r-1", refundReq("f-1", line("email", 1), line("email", 1)), f.now()));
    f.reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.refund(s, "r-1", new RefundRequest("f-1", List.of(line("email", 1)), "x".repeat(257)), f.now()));
    f.assertAudit("email", 100, 0, 85, 5, 10, 0);
  }

  @Test
  void debitsCanBeRefunded() {
    WalletFixture f = WalletFixture.create();
    f.grant("e", "email", 50);
    f.debit(hold("d-1", line("email", 20)));
    f.refund("d-1", refundReq("f-1", line("email", 20)));
    f.assertAudit("email", 50, 20, 50, 0, 20, 0);
  }
}
