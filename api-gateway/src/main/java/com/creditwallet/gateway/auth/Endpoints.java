package com.creditwallet.gateway.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Every route the server has, in one table. The access gate serves only what is listed here
 * (anything else is 404 or 405 before any route code runs), so this table is, by construction,
 * the complete list of the server's routes: the OpenAPI test checks that it and
 * {@code openapi.yaml} list the same operations and that each of them answers.
 *
 * <p>Adding a route: one line here, next to the route code, and its operation in
 * {@code openapi.yaml}. Who may call it follows from its method and path ({@link AccountRights}):
 * account keys get the spending calls and reads of their own wallet, everything else is admin.
 */
public final class Endpoints {
  private Endpoints() {}

  public static final List<Endpoint> ALL = List.of(
      // Operations, no key.
      Endpoint.open("GET", "/health/alive"),
      Endpoint.open("GET", "/health/ready"),
      Endpoint.open("GET", "/openapi.yaml"),
      Endpoint.open("GET", "/metrics"),
      // Plans and rate cards (PlanRoutes).
      Endpoint.keyed("PUT", "/v1/plans/{planId}"),
      Endpoint.keyed("GET", "/v1/plans/{planId}"),
      Endpoint.keyed("PUT", "/v1/operations/{operation}"),
      Endpoint.keyed("GET", "/v1/operations/{operation}"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/plan"),
      // Wallets (WalletRoutes).
      Endpoint.keyed("PUT", "/v1/wallets/{walletId}"),
      Endpoint.keyed("GET", "/v1/wallets/{walletId}"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/grants"),
      Endpoint.keyed("PUT", "/v1/wallets/{walletId}/sub-budgets/{subBudget}"),
      Endpoint.keyed("GET", "/v1/wallets/{walletId}/audit"),
      // Spending (ReservationRoutes, BatchRoutes).
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/reservations"),
      Endpoint.keyed("GET", "/v1/wallets/{walletId}/reservations/{reservationId}"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/reservations/{reservationId}/commit"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/reservations/{reservationId}/release"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/reservations/{reservationId}/refund"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/debits"),
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/estimate"),
      Endpoint.keyed("POST", "/v1/batch"),
      // Reports and notifications (LedgerRoutes, EventsRoutes, WebhookRoutes).
      Endpoint.keyed("GET", "/v1/wallets/{walletId}/ledger"),
      Endpoint.keyed("GET", "/v1/wallets/{walletId}/usage"),
      Endpoint.keyed("GET", "/v1/wallets/{walletId}/events"),
      Endpoint.keyed("PUT", "/v1/webhooks/{webhookId}"),
      Endpoint.keyed("GET", "/v1/webhooks/{webhookId}"),
      Endpoint.keyed("DELETE", "/v1/webhooks/{webhookId}"),
      Endpoint.keyed("GET", "/v1/webhooks/{webhookId}/deliveries"),
      // Account keys (ApiKeyRoutes).
      Endpoint.keyed("POST", "/v1/wallets/{walletId}/api-keys"),
      Endpoint.keyed("GET", "/v1/wallets/{walletId}/api-keys"),
      Endpoint.keyed("DELETE", "/v1/wallets/{walletId}/api-keys/{keyId}"));

  /** What the table says about a request path. */
  public sealed interface Lookup {}

  public record Found(Endpoint endpoint) implements Lookup {}

  /** The path exists with other methods: 405. */
  public record WrongMethod(List<String> allowed) implements Lookup {}

  public record NoSuchPath() implements Lookup {}

  public static Lookup lookup(List<Endpoint> table, String method, List<String> path) {
    List<String> allowed = new ArrayList<>();
    for (Endpoint e : table) {
      if (!e.matches(path)) continue;
      if (e.method().equals(method)) return new Found(e);
      allowed.add(e.method());
    }
    return allowed.isEmpty() ? new NoSuchPath() : new WrongMethod(allowed);
  }
}
