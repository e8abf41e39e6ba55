package com.creditwallet.gateway.auth;

import com.creditwallet.gateway.http.Json;
import com.creditwallet.gateway.http.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The one door of the API. In order: the route must be in {@link Endpoints} (else 404/405);
 * open routes pass; otherwise the bearer key must be an admin key (everything allowed, no rate
 * limit) or a valid, unrevoked account key (else 401); an account key then passes its rate limit
 * (else 429 with Retry-After), its rights (else 403 FORBIDDEN: {@link AccountRights}) and its
 * wallet's plan (else 403 API_ACCESS_NOT_IN_PLAN). All of it is answered from this node's memory;
 * see {@link AccountKeys} and {@link PlanAccess} for the rare exceptions. No key, hash or
 * Authorization header is ever logged here.
 */
public final class AccessGate extends AllDirectives {
  private static final java.time.Duration BODY_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final List<Endpoint> table;
  private final AdminKeys admins;
  private final AccountKeys keys;
  private final KeyRateLimiter limiter;
  private final PlanAccess plans;

  public AccessGate(List<Endpoint> table, AdminKeys admins, AccountKeys keys, KeyRateLimiter limiter, PlanAccess plans) {
    this.table = table;
    this.admins = admins;
    this.keys = keys;
    this.limiter = limiter;
    this.plans = plans;
  }

  public Route guard(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<List<String>> path = segments(request.getUri());
      Endpoints.Lookup found = path.isEmpty()
          ? new Endpoints.NoSuchPath()
          : Endpoints.lookup(table, request.method().name(), path.get());
      if (found instanceof Endpoints.WrongMethod w) {
        return complete(Problems.of(405, "METHOD_NOT_ALLOWED", "this path does not accept that method", Map.of())
            .addHeader(RawHeader.create("Allow", String.join(", ", w.allowed()))));
      }
      if (!(found instanceof Endpoints.Found f)) {
        return complete(Problems.of(404, "NOT_FOUND", "no such resource", Map.of()));
      }
      if (f.endpoint().open()) return inner.get();
      return optionalHeaderValueByName("Authorization", header -> authenticate(bearer(header), f.endpoint(), path.get(), inner));
    });
  }

  private Route authenticate(Optional<String> bearer, Endpoint endpoint, List<String> path, Supplier<Route> inner) {
    if (bearer.isEmpty()) return complete(unauthorized());
    String presented = bearer.get();
    // Hashed once for both checks: a request with an account key used to hash it twice.
    byte[] hash = KeyHash.of(presented);
    if (admins.matches(hash)) return inner.get();
    Optional<String> keyId = AccountKeyFormat.keyIdOf(presented);
    if (keyId.isEmpty()) return complete(unauthorized());
    return onSuccess(keys.check(keyId.get(), hash), check -> {
      if (!(check instanceof KeyCache.Valid key)) return complete(unauthorized());
      long wait = limiter.acquire(key.keyId());
      if (wait > 0) {
        return complete(Problems.of(429, "RATE_LIMITED",
                "this key is over its request rate; retry after the time in Retry-After", Map.of("retryAfterSeconds", wait))
            .addHeader(RetryAfter.create(wait)));
      }
      return switch (AccountRights.decide(endpoint, path, key.walletId())) {
        case FORBIDDEN -> complete(forbidden());
        case ALLOWED -> planAllows(key.walletId(), inner);
        case ALLOWED_IF_BATCH_OWN_WALLET -> toStrictEntity(BODY_TIMEOUT, () -> extractRequest(r ->
            batchOfWallet((HttpEntity.Strict) r.entity(), key.walletId())
                ? planAllows(key.walletId(), inner)
                : complete(forbidden())));
      };
    });
  }

  private Route planAllows(String walletId, Supplier<Route> inner) {
    PlanAccess.Answer cached = plans.cached(walletId);
    if (cached != null) return byPlan(cached, inner);
    return onSuccess(plans.check(walletId), answer -> byPlan(answer, inner));
  }

  private Route byPlan(PlanAccess.Answer answer, Supplier<Route> inner) {
    return switch (answer) {
      case ALLOWED -> inner.get();
      case NOT_IN_PLAN -> complete(Problems.of(403, "API_ACCESS_NOT_IN_PLAN",
          "this wallet's plan does not include API access (features.apiAccess is false)", Map.of()));
      case UNAVAILABLE -> complete(Problems.of(503, "SERVICE_UNAVAILABLE",
          "the wallet did not answer in time; retrying is safe", Map.of()));
    };
  }

  /**
   * True unless an item of the batch names another wallet. A body that cannot be read is let
   * through: the batch route answers it with its own 400, and does nothing.
   */
  static boolean batchOfWallet(HttpEntity.Strict entity, String walletId) {
    JsonNode body;
    try {
      body = Json.parse(entity.getData());
    } catch (IOException e) {
      return true;
    }
    JsonNode items = body.path("requests");
    if (!items.isArray()) return true;
    for (JsonNode item : items) {
      JsonNode w = item.path("walletId");
      if (w.isTextual() && !w.textValue().equals(walletId)) return false;
    }
    return true;
  }

  static Optional<String> bearer(Optional<String> header) {
    return header
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        .filter(k -> !k.isEmpty());
  }

  /**
   * The decoded path segments, or empty for a path no route can have (an empty segment: "//" or
   * a trailing "/"), which the routes would not match either.
   */
  static Optional<List<String>> segments(Uri uri) {
    String raw = uri.path();
    if (raw.contains("//") || (raw.length() > 1 && raw.endsWith("/")) || raw.equals("/") || raw.isEmpty()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    uri.pathSegments().forEach(out::add);
    return Optional.of(List.copyOf(out));
  }

  private static HttpResponse unauthorized() {
    return Problems.of(401, "UNAUTHORIZED", "a valid 'Authorization: Bearer <key>' header is required", Map.of())
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "wallet")));
  }

  private static HttpResponse forbidden() {
    return Problems.of(403, "FORBIDDEN",
        "an account key may only spend from and read its own wallet; this call needs an admin key", Map.of());
  }
}
