package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /v1/batch on a node that lets one batch ask be in flight and none wait: the items that get
 * no turn answer 503 SERVICE_UNAVAILABLE without reaching their wallet (nothing is reserved), and
 * the same items sent again succeed. Real HTTP, real node, real local Cassandra.
 */
@ExtendWith(CassandraExtension.class)
class BatchAdmissionIT {
  private static WalletNode node;
  private static Api api;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    node = WalletNode.start(TestNode.config(keyspace, Map.of(
        "wallet.http.batch-max-asks", 1,
        "wallet.http.batch-admission-wait", "0s")));
    api = TestNode.ready(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static String reserve(String wallet, String reservationId) {
    return "{\"walletId\":\"" + wallet + "\",\"op\":\"reserve\",\"body\":{\"reservationId\":\"" + reservationId
        + "\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}}";
  }

  private static JsonNode batch(List<String> items) {
    Api.Response r = api.post("/v1/batch", "{\"requests\":[" + String.join(",", items) + "]}");
    assertEquals(200, r.status(), r.raw());
    return r.body().path("results");
  }

  @Test
  void itemsWithoutATurnAnswer503ChangeNothingAndSucceedWhenSentAgain() {
    List<String> wallets = List.of("adm-1", "adm-2", "adm-3");
    List<String> items = new ArrayList<>();
    for (String w : wallets) {
      assertEquals(201, api.put("/v1/wallets/" + w, "{}").status());
      assertEquals(201, api.post("/v1/wallets/" + w + "/grants",
          "{\"grantId\":\"g\",\"category\":\"sms\",\"amount\":10,\"source\":\"PACKAGE\"}").status());
      items.add(reserve(w, "r-" + w));
    }

    JsonNode results = batch(items);
    // The first wallet's ask takes the only turn; the others are refused while it is in flight.
    assertEquals(201, results.get(0).path("status").asInt(), results.toString());
    List<Integer> busy = new ArrayList<>();
    for (int i = 1; i < wallets.size(); i++) {
      JsonNode r = results.get(i);
      assertEquals(503, r.path("status").asInt(), results.toString());
      assertEquals("SERVICE_UNAVAILABLE", r.path("body").path("code").asText(), results.toString());
      assertTrue(r.path("body").path("detail").asText().contains("did not send this item"), results.toString());
      busy.add(i);
    }
    for (int i : busy) {
      String w = wallets.get(i);
      assertEquals(0, api.get("/v1/wallets/" + w).body().path("balances").path("sms").path("held").asLong(),
          "nothing was reserved on " + w);
      assertEquals(404, api.get("/v1/wallets/" + w + "/reservations/r-" + w).status());
    }

    // Sent again one at a time, each gets the turn and is reserved once.
    for (int i : busy) {
      JsonNode again = batch(List.of(items.get(i)));
      assertEquals(201, again.get(0).path("status").asInt(), again.toString());
      assertEquals(1, api.get("/v1/wallets/" + wallets.get(i)).body().path("balances").path("sms").path("held").asLong());
    }
  }
}
