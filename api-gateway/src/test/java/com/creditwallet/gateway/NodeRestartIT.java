package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node stopped and a new one started on the same keyspace: every wallet is still there. */
@ExtendWith(CassandraExtension.class)
class NodeRestartIT {

  @Test
  void restartKeepsBalancesAndIdempotency(CassandraTestKeyspace keyspace) {
    String reserve = "{\"reservationId\":\"r-1\",\"lines\":[{\"category\":\"sms\",\"amount\":30}]}";
    String before;
    try (WalletNode first = TestNode.start(keyspace)) {
      Api api = TestNode.ready(first);
      assertEquals(201, api.put("/v1/wallets/keep", "{}").status());
      assertEquals(201, api.post("/v1/wallets/keep/grants",
          "{\"grantId\":\"g-1\",\"category\":\"sms\",\"amount\":100,\"source\":\"PACKAGE\",\"validFor\":\"P2Y\"}").status());
      assertEquals(201, api.post("/v1/wallets/keep/reservations", reserve).status());
      assertEquals(201, api.post("/v1/wallets/keep/debits",
          "{\"debitId\":\"d-1\",\"lines\":[{\"category\":\"sms\",\"amount\":5}]}").status());
      before = api.get("/v1/wallets/keep").raw();
    }
    try (WalletNode second = TestNode.start(keyspace)) {
      Api api = TestNode.ready(second);
      Api.Response after = api.get("/v1/wallets/keep");
      assertEquals(before, after.raw(), "the wallet is exactly as it was");
      assertEquals(65, after.body().path("balances").path("sms").path("available").asLong());
      assertEquals(30, after.body().path("balances").path("sms").path("held").asLong());
      Api.Response retry = api.post("/v1/wallets/keep/reservations", reserve);
      assertEquals(201, retry.status(), "an idempotent retry after the restart still answers as before");
      assertEquals("HELD", retry.body().path("status").asText());
      assertEquals(65, api.get("/v1/wallets/keep").body().path("balances").path("sms").path("available").asLong());
      assertEquals(200, api.post("/v1/wallets/keep/reservations/r-1/commit", "{}").status());
      assertTrue(api.get("/v1/wallets/keep/audit").body().path("consistent").asBoolean());
    }
  }
}
