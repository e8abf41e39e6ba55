package com.creditwallet.gateway.http;

import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.domain.Estimate;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.Validation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** Spending: reservations (create, read, commit, release, refund), one-step debits, estimates. */
public final class ReservationRoutes extends WalletAsk {
  private final SpendingRequests requests;

  public ReservationRoutes(WalletSharding wallets, Duration askTimeout) {
    super(wallets, askTimeout);
    this.requests = new SpendingRequests(wallets, askTimeout);
  }

  public Route routes() {
    return pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId -> concat(
        pathPrefix("reservations", () -> concat(
            pathEnd(() -> post(() -> withBody(body ->
                reserve(walletId, SpendingRequests.reserve(body, ReservationKind.HOLD), ReservationKind.HOLD)))),
            pathPrefix(PathMatchers.segment(), reservationId -> concat(
                pathEnd(() -> get(() -> this.<ReservationView>ask(walletId,
                    reply -> new WalletEntity.GetReservation(checked(reservationId), reply), this::ok))),
                path("commit", () -> post(() -> withBody(body -> {
                  List<Line> lines = SpendingRequests.commitLines(body);
                  return this.<ReservationView>ask(walletId,
                      reply -> new WalletEntity.Commit(checked(reservationId), lines, reply), this::ok);
                }))),
                path("release", () -> post(() -> withBody(body -> {
                  SpendingRequests.release(body);
                  return this.<ReservationView>ask(walletId,
                      reply -> new WalletEntity.Release(checked(reservationId), reply), this::ok);
                }))),
                path("refund", () -> post(() -> withBody(body -> {
                  RefundRequest refund = SpendingRequests.refund(body);
                  return this.<ReservationView>ask(walletId,
                      reply -> new WalletEntity.Refund(checked(reservationId), refund, reply), this::ok);
                }))))))),
        // After reservations, the most frequent calls (tried first: see ApiRoutes).
        path("debits", () -> post(() -> withBody(body ->
            reserve(walletId, SpendingRequests.reserve(body, ReservationKind.DEBIT), ReservationKind.DEBIT)))),
        path("estimate", () -> post(() -> withBody(body -> estimate(walletId,
            RequestReader.of(body, "lines", "operation", "quantity", "sender", "subBudget"))))))));
  }

  private Route reserve(String walletId, ReserveRequest request, ReservationKind kind) {
    Validation.requireId("walletId", walletId);
    CompletionStage<HttpResponse> answer = requests.unitCosts(request.operation(), request.sender())
        .thenCompose(costs -> this.<ReservationView>askWallet(walletId,
            reply -> new WalletEntity.Reserve(request, costs, kind, reply)))
        .handle(answering(StatusCodes.CREATED));
    return completeWithFuture(answer);
  }

  private Route estimate(String walletId, RequestReader r) {
    Validation.requireId("walletId", walletId);
    List<Line> lines = r.lines("lines");
    String operation = r.id("operation", false);
    Long quantity = r.integer("quantity", 1, Validation.MAX_AMOUNT);
    String sender = r.id("sender", false);
    String subBudget = r.id("subBudget", false);
    SpendingRequests.checkForm(lines, operation, quantity, sender);
    CompletionStage<HttpResponse> answer = requests.unitCosts(operation, sender)
        .thenCompose(costs -> this.<Estimate>askWallet(walletId,
            reply -> new WalletEntity.EstimateCost(lines, operation, quantity, costs, subBudget, reply)))
        .handle(answering(StatusCodes.OK));
    return completeWithFuture(answer);
  }

  private HttpResponse ok(Object view) {
    return Json.response(StatusCodes.OK, view);
  }

  private static String checked(String reservationId) {
    Validation.requireId("reservationId", reservationId);
    return reservationId;
  }
}
