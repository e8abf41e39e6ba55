package com.creditwallet.gateway.auth;

import com.creditwallet.gateway.http.Json;
import com.creditwallet.gateway.http.Problems;
import com.creditwallet.gateway.http.RequestReader;
import com.creditwallet.gateway.http.WalletAsk;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /v1/wallets/{walletId}/api-keys (admin): mint a key (the answer is the only time the key is
 * ever shown), list a wallet's keys without secrets, revoke one. Minting has no client id and is
 * not idempotent: a retried mint makes a second key, which the admin can list and revoke.
 */
public final class ApiKeyRoutes extends WalletAsk {
  private static final Logger log = LoggerFactory.getLogger(ApiKeyRoutes.class);
  static final int MAX_NAME = 100;

  private final AccountKeys keys;

  public ApiKeyRoutes(WalletSharding wallets, Duration askTimeout, AccountKeys keys) {
    super(wallets, askTimeout);
    this.keys = keys;
  }

  public Route routes() {
    return pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId -> pathPrefix("api-keys", () -> concat(
        pathEnd(() -> concat(
            post(() -> withBody(body -> {
              String name = RequestReader.of(body, "name").string("name");
              if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
                throw Rejection.invalid("name", "must be 1 to " + MAX_NAME + " characters");
              }
              return answer(walletId, w -> keys.mint(walletId, name).thenApply(ApiKeyRoutes::created));
            })),
            get(() -> answer(walletId, w -> keys.list(walletId).thenApply(list ->
                Json.response(StatusCodes.OK, Map.of("keys", list))))))),
        path(PathMatchers.segment(), keyId -> delete(() -> answer(walletId, w -> {
          if (!AccountKeyFormat.KEY_ID.matcher(keyId).matches()) {
            return java.util.concurrent.CompletableFuture.completedFuture(notFound());
          }
          return keys.revoke(walletId, keyId).thenApply(revoked -> revoked
              .map(info -> Json.response(StatusCodes.OK, info))
              .orElseGet(() -> notFound()));
        })))))));
  }

  /** Checks the wallet exists (404 WALLET_NOT_FOUND otherwise), then runs {@code then}. */
  private Route answer(String walletId, Function<WalletView, CompletionStage<HttpResponse>> then) {
    Validation.requireId("walletId", walletId);
    CompletionStage<HttpResponse> response = this.<WalletView>askWallet(walletId, WalletEntity.GetWallet::new)
        .thenCompose(then)
        .handle((ok, failure) -> failure == null ? ok : failure(failure));
    return completeWithFuture(response);
  }

  private static HttpResponse failure(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof Rejection r) return Problems.of(r);
    if (t instanceof java.util.concurrent.TimeoutException) {
      return Problems.of(503, "SERVICE_UNAVAILABLE", "the wallet did not answer in time; retrying is safe", Map.of());
    }
    log.warn("account key store failed: {}", t.toString());
    return Problems.of(503, "SERVICE_UNAVAILABLE", "the key store did not answer; retrying is safe", Map.of());
  }

  private static HttpResponse created(AccountKeys.Created c) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", c.key());
    body.put("keyId", c.info().keyId());
    body.put("walletId", c.info().walletId());
    body.put("name", c.info().name());
    body.put("createdAt", c.info().createdAt());
    body.put("revokedAt", null);
    // The only answer that ever carries a key: no cache may keep it.
    return Json.response(StatusCodes.CREATED, body).addHeader(RawHeader.create("Cache-Control", "no-store"));
  }

  private static HttpResponse notFound() {
    return Problems.of(404, "API_KEY_NOT_FOUND", "this wallet has no key with that id", Map.of());
  }
}
