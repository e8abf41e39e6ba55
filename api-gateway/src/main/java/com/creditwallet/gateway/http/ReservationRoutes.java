package com.creditwallet.gateway.http;

import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.Validation;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** Spending: reservations (create, read, commit, release, refund) and one-step debits. */
public final class ReservationRoutes extends WalletAsk {
  private static final String[] RESERVE_FIELDS = {
    "reservationId", "lines", "subBudget", "ttlSeconds", "allowPartial", "reference",
    "operation", "quantity", "sender"
  };
  private static final String[] DEBIT_FIELDS = {
    "debitId", "lines", "subBudget", "ttlSeconds", "allowPartial", "reference",
    "operation", "quantity", "sender"
  };

  public ReservationRoutes(WalletSharding wallets, Duration askTimeout) {
    super(wallets, askTimeout);
  }

  public Route routes() {
    return pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId -> concat(
        path("debits", () -> post(() -> withBody(body ->
            reserve(walletId, RequestReader.of(body, DEBIT_FIELDS), ReservationKind.DEBIT)))),
        pathPrefix("reservations", () -> concat(
            pathEnd(() -> post(() -> withBody(body ->
                reserve(walletId, RequestReader.of(body, RESERVE_FIELDS), ReservationKind.HOLD)))),
            pathPrefix(PathMatchers.segment(), reservationId -> concat(
                pathEnd(() -> get(() -> this.<ReservationView>ask(walletId,
                    reply -> new WalletEntity.GetReservation(checked(reservationId), reply), this::ok))),
                path("commit", () -> post(() -> withBody(body -> {
                  List<Line> lines = RequestReader.of(body, "lines").lines("lines");
                  return this.<ReservationView>ask(walletId, reply -> new WalletEntity.Commit(checked(reservationId), lines, reply), this::ok);
                }))),
                path("release", () -> post(() -> withBody(body -> {
                  RequestReader.of(body);
                  return this.<ReservationView>ask(walletId, reply -> new WalletEntity.Release(checked(reservationId), reply), this::ok);
                }))),
                path("refund", () -> post(() -> withBody(body -> {
                  RequestReader r = RequestReader.of(body, "refundId", "lines", "reason");
                  List<Line> lines = r.lines("lines");
                  if (lines == null) throw Rejection.invalid("lines", "is required");
                  RefundRequest refund = new RefundRequest(r.id("refundId", true), lines, r.string("reason"));
                  return this.<ReservationView>ask(walletId, reply -> new WalletEntity.Refund(checked(reservationId), refund, reply), this::ok);
                }))))))))));
  }

  private Route reserve(String walletId, RequestReader r, ReservationKind kind) {
    String id = r.id(kind == ReservationKind.DEBIT ? "debitId" : "reservationId", true);
    r.notYet("operation", "rate card operations");
    r.notYet("quantity", "rate card operations");
    r.notYet("sender", "rate card operations");
    List<Line> lines = r.lines("lines");
    if (lines == null) throw Rejection.invalid("lines", "is required");
    Long ttl = r.integer("ttlSeconds", 1, Validation.MAX_TTL_SECONDS);
    long ttlSeconds = kind == ReservationKind.DEBIT ? 0 : ttl == null ? Validation.DEFAULT_TTL_SECONDS : ttl;
    String reference = r.string("reference");
    if (reference != null && reference.length() > 256) throw Rejection.invalid("reference", "must be at most 256 characters");
    ReserveRequest request =
        new ReserveRequest(id, lines, r.id("subBudget", false), ttlSeconds,
            Boolean.TRUE.equals(r.bool("allowPartial")), reference);
    return this.<ReservationView>ask(walletId, reply -> new WalletEntity.Reserve(request, kind, reply),
        v -> Json.response(StatusCodes.CREATED, v));
  }

  private org.apache.pekko.http.javadsl.model.HttpResponse ok(Object view) {
    return Json.response(StatusCodes.OK, view);
  }

  private static String checked(String reservationId) {
    Validation.requireId("reservationId", reservationId);
    return reservationId;
  }
}
