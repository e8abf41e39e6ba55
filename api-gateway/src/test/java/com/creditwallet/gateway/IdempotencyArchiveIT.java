package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The idempotency contract over real HTTP on real Cassandra, with a 1 s recent window so that
 * finished reservations really leave the wallet's memory for the reservation archive: a repeated
 * call answers the first answer's status and body, before and after archiving and across a node
 * restart; the same id with another body (a commit with other lines too) is 409; a late bounce is
 * refunded into the grant it came from.
 */
@ExtendWith(CassandraExtension.class)
class IdempotencyArchiveIT {
  static final String RESERVE = "{\"reservationId\":\"r-1\",\"lines\":[{\"category\":\"sms\",\"amount\":3}],"
      + "\"reference\":\"campaign-9\"}";

  static WalletNode start(CassandraTestKeyspace keyspace) {
    return WalletNode.start(TestNode.config(keyspace, Map.of("wallet.recent-window", "1s")));
  }

  @Test
  void repeatedCallsAnswerTheFirstAnswerBeforeAndAfterArchiving(CassandraTestKeyspace keyspace) {
    String reserved;
    String committed;
    try (WalletNode node = start(keyspace)) {
      Api api = TestNode.ready(node);
      assertEquals(201, api.put("/v1/wallets/arc", "{}").status());
      assertEquals(201, api.post("/v1/wallets/arc/grants",
          "{\"grantId\":\"g-1\",\"category\":\"sms\",\"amount\":100,\"source\":\"PROMO\"}").status());
      Api.Response first = api.post("/v1/wallets/arc/reservations", RESERVE);
      assertEquals(201, first.status());
      reserved = first.raw();
      Api.Response commit = api.post("/v1/wallets/arc/reservations/r-1/commit", "{}");
      assertEquals(200, commit.status());
      committed = commit.raw();

      Api.Response retry = api.post("/v1/wallets/arc/reservations", RESERVE);
      assertEquals(201, retry.status());
      assertEquals(reserved, retry.raw(), "a repeated reserve of a since-committed reservation answers its HELD body");
      assertEquals("HELD", retry.body().path("status").asText());
      Api.Response otherLines = api.post("/v1/wallets/arc/reservations/r-1/commit",
          "{\"lines\":[{\"category\":\"sms\",\"amount\":2}]}");
      assertEquals(409, otherLines.status());
      assertEquals("IDEMPOTENCY_CONFLICT", otherLines.code());

      // After the 1 s window the reservation moves to the archive (the wallet's own timer does it).
      api.await("/v1/wallets/arc/audit", r -> r.body().path("archivedReservations").asLong() >= 1,
          Duration.ofSeconds(30));
      assertEquals(0, api.get("/v1/wallets/arc/audit").body().path("recentReservations").asLong());
      assertArchivedAnswers(api, reserved, committed);
    }
    try (WalletNode node = start(keyspace)) {
      Api api = TestNode.ready(node);
      assertArchivedAnswers(api, reserved, committed);
      Api.Response bounce = api.post("/v1/wallets/arc/reservations/r-1/refund",
          "{\"refundId\":\"f-1\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"reason\":\"BOUNCE\"}");
      assertEquals(200, bounce.status());
      assertEquals(1, bounce.body().path("refunded").get(0).path("amount").asLong());
      Api.Response wallet = api.get("/v1/wallets/arc");
      assertEquals(98, wallet.body().path("balances").path("sms").path("available").asLong());
      assertEquals(98, wallet.body().path("grants").get(0).path("remaining").asLong(), "back into grant g-1");
      Api.Response again = api.post("/v1/wallets/arc/reservations/r-1/refund",
          "{\"refundId\":\"f-1\",\"lines\":[{\"category\":\"sms\",\"amount\":1}],\"reason\":\"BOUNCE\"}");
      assertEquals(bounce.raw(), again.raw());
      assertEquals(98, api.get("/v1/wallets/arc").body().path("balances").path("sms").path("available").asLong());
      assertTrue(api.get("/v1/wallets/arc/audit").body().path("consistent").asBoolean());
    }
  }

  private static void assertArchivedAnswers(Api api, String reserved, String committed) {
    Api.Response retry = api.post("/v1/wallets/arc/reservations", RESERVE);
    assertEquals(201, retry.status());
    assertEquals(reserved, retry.raw(), "the original answer, read from the archive");
    Api.Response commitAgain = api.post("/v1/wallets/arc/reservations/r-1/commit", "{}");
    assertEquals(200, commitAgain.status());
    assertEquals(committed, commitAgain.raw());
    Api.Response other = api.post("/v1/wallets/arc/reservations",
        "{\"reservationId\":\"r-1\",\"lines\":[{\"category\":\"sms\",\"amount\":4}]}");
    assertEquals(409, other.status());
    assertEquals("IDEMPOTENCY_CONFLICT", other.code());
    assertEquals("RESERVATION_COMMITTED", api.post("/v1/wallets/arc/reservations/r-1/release", "{}").code());
    Api.Response read = api.get("/v1/wallets/arc/reservations/r-1");
    assertEquals(200, read.status());
    assertEquals("COMMITTED", read.body().path("status").asText());
    assertEquals(97, api.get("/v1/wallets/arc").body().path("balances").path("sms").path("available").asLong(),
        "no retry charged twice");
  }
}
