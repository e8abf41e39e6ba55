package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.gateway.auth.AccountRights.Verdict;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountRightsTest {
  /** What the contract gives an account key on its own wallet; everything else in the table is admin. */
  private static final Set<String> ACCOUNT = Set.of(
      "GET /v1/wallets/{walletId}",
      "POST /v1/wallets/{walletId}/reservations",
      "GET /v1/wallets/{walletId}/reservations/{reservationId}",
      "POST /v1/wallets/{walletId}/reservations/{reservationId}/commit",
      "POST /v1/wallets/{walletId}/reservations/{reservationId}/release",
      "POST /v1/wallets/{walletId}/reservations/{reservationId}/refund",
      "POST /v1/wallets/{walletId}/debits",
      "POST /v1/wallets/{walletId}/estimate",
      "GET /v1/wallets/{walletId}/ledger",
      "GET /v1/wallets/{walletId}/usage",
      "GET /v1/wallets/{walletId}/events");

  private static Verdict decide(Endpoint e, String walletInPath, String keyWallet) {
    List<String> path = Endpoint.Templates.segments(e.template().replace("{walletId}", walletInPath)
        .replaceAll("\\{[a-zA-Z]+}", "x"));
    return AccountRights.decide(e, path, keyWallet);
  }

  @Test
  void everyRouteOfTheTableOnTheKeysOwnWallet() {
    for (Endpoint e : Endpoints.ALL) {
      Verdict expected = e.open() || ACCOUNT.contains(e.toString()) ? Verdict.ALLOWED
          : e.template().equals("/v1/batch") ? Verdict.ALLOWED_IF_BATCH_OWN_WALLET
          : Verdict.FORBIDDEN;
      assertEquals(expected, decide(e, "acme", "acme"), e.toString());
    }
  }

  @Test
  void nothingOnAnotherWallet() {
    for (Endpoint e : Endpoints.ALL) {
      if (!e.template().contains("{walletId}")) continue;
      assertEquals(Verdict.FORBIDDEN, decide(e, "other", "acme"), e.toString());
    }
  }

  @Test
  void adminRoutesStayAdminOnTheOwnWallet() {
    for (String route : List.of("PUT /v1/wallets/{walletId}", "POST /v1/wallets/{walletId}/grants",
        "POST /v1/wallets/{walletId}/plan", "GET /v1/wallets/{walletId}/audit",
        "PUT /v1/wallets/{walletId}/sub-budgets/{subBudget}", "POST /v1/wallets/{walletId}/api-keys",
        "GET /v1/wallets/{walletId}/api-keys", "DELETE /v1/wallets/{walletId}/api-keys/{keyId}",
        "PUT /v1/plans/{planId}", "GET /v1/plans/{planId}", "PUT /v1/operations/{operation}")) {
      String[] mp = route.split(" ");
      assertEquals(Verdict.FORBIDDEN, decide(Endpoint.keyed(mp[0], mp[1]), "acme", "acme"), route);
    }
  }

  @Test
  void routesAddedLaterFallUnderTheRulesByTheirShape() {
    assertEquals(Verdict.ALLOWED, decide(Endpoint.keyed("GET", "/v1/wallets/{walletId}/ledger"), "acme", "acme"));
    assertEquals(Verdict.ALLOWED, decide(Endpoint.keyed("GET", "/v1/wallets/{walletId}/ledger/export"), "acme", "acme"));
    assertEquals(Verdict.ALLOWED, decide(Endpoint.keyed("GET", "/v1/wallets/{walletId}/usage"), "acme", "acme"));
    assertEquals(Verdict.ALLOWED, decide(Endpoint.keyed("GET", "/v1/wallets/{walletId}/events"), "acme", "acme"));
    assertEquals(Verdict.FORBIDDEN, decide(Endpoint.keyed("GET", "/v1/wallets/{walletId}/ledger"), "other", "acme"));
    assertEquals(Verdict.FORBIDDEN, decide(Endpoint.keyed("POST", "/v1/wallets/{walletId}/ledger"), "acme", "acme"));
    assertEquals(Verdict.FORBIDDEN, decide(Endpoint.keyed("PUT", "/v1/webhooks/{webhookId}"), "acme", "acme"));
    assertEquals(Verdict.FORBIDDEN, decide(Endpoint.keyed("GET", "/v1/wallets/{walletId}/secrets"), "acme", "acme"),
        "a new route no rule names is admin only");
  }
}
