package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  private static List<String> path(String p) {
    return Endpoint.Templates.segments(p);
  }

  @Test
  void aPathFindsItsRoute() {
    Endpoints.Lookup l = Endpoints.lookup(Endpoints.ALL, "POST", path("/v1/wallets/acme/reservations/r-1/commit"));
    Endpoint e = assertInstanceOf(Endpoints.Found.class, l).endpoint();
    assertEquals("/v1/wallets/{walletId}/reservations/{reservationId}/commit", e.template());
    assertEquals("acme", e.param("walletId", path("/v1/wallets/acme/reservations/r-1/commit")));
    assertEquals("r-1", e.param("reservationId", path("/v1/wallets/acme/reservations/r-1/commit")));
  }

  @Test
  void aKnownPathWithAnotherMethodIsWrongMethod() {
    Endpoints.Lookup l = Endpoints.lookup(Endpoints.ALL, "DELETE", path("/v1/wallets/acme"));
    assertEquals(Set.of("PUT", "GET"), Set.copyOf(assertInstanceOf(Endpoints.WrongMethod.class, l).allowed()));
  }

  @Test
  void unknownPathsAreNotFound() {
    for (String p : List.of("/v1/nowhere", "/v1/wallets", "/v1/wallets/acme/reservations/r-1/commit/x", "/v2/batch", "/")) {
      assertInstanceOf(Endpoints.NoSuchPath.class, Endpoints.lookup(Endpoints.ALL, "GET", path(p)), p);
    }
    assertInstanceOf(Endpoints.NoSuchPath.class, Endpoints.lookup(Endpoints.ALL, "GET", List.of("v1", "wallets", "")));
  }

  @Test
  void openRoutesAreOnlyHealthTheDocumentAndMetrics() {
    Set<String> open = new HashSet<>();
    for (Endpoint e : Endpoints.ALL) if (e.open()) open.add(e.template());
    // Prometheus scrapes /metrics without a key: it holds counts and timings, never an id or a key.
    assertEquals(Set.of("/health/alive", "/health/ready", "/openapi.yaml", "/metrics"), open);
  }

  @Test
  void everyRouteIsListedOnce() {
    Set<String> seen = new HashSet<>();
    for (Endpoint e : Endpoints.ALL) assertTrue(seen.add(e.toString()), e.toString());
  }
}
