package com.creditwallet.gateway.http;

import com.creditwallet.registry.RegistryEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.RateCard;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reading spending bodies (reserve, debit, commit, release, refund) into domain requests, and
 * resolving an operation's rate card. Shared by the single routes and the batch route so that a
 * batch item is answered exactly as the single call would be.
 */
public final class SpendingRequests {
  private static final List<String> RESERVE_FIELDS = List.of(
      "lines", "subBudget", "ttlSeconds", "allowPartial", "reference", "operation", "quantity", "sender");

  private final WalletSharding wallets;
  private final Duration askTimeout;

  public SpendingRequests(WalletSharding wallets, Duration askTimeout) {
    this.wallets = wallets;
    this.askTimeout = askTimeout;
  }

  /** A reservation (HOLD, id field reservationId) or a debit (DEBIT, id field debitId). */
  public static ReserveRequest reserve(JsonNode body, ReservationKind kind) {
    String idField = kind == ReservationKind.DEBIT ? "debitId" : "reservationId";
    RequestReader r = RequestReader.of(body, fields(RESERVE_FIELDS, idField));
    String id = r.id(idField, true);
    List<Line> lines = r.lines("lines");
    String operation = r.id("operation", false);
    Long quantity = r.integer("quantity", 1, Validation.MAX_AMOUNT);
    String sender = r.id("sender", false);
    checkForm(lines, operation, quantity, sender);
    Long ttl = r.integer("ttlSeconds", 1, Validation.MAX_TTL_SECONDS);
    long ttlSeconds = kind == ReservationKind.DEBIT ? 0 : ttl == null ? Validation.DEFAULT_TTL_SECONDS : ttl;
    String reference = r.string("reference");
    if (reference != null && reference.length() > 256) throw Rejection.invalid("reference", "must be at most 256 characters");
    return new ReserveRequest(id, lines, operation, quantity, sender, r.id("subBudget", false), ttlSeconds,
        Boolean.TRUE.equals(r.bool("allowPartial")), reference);
  }

  /** Either lines, or operation + quantity (+ sender): the same check for reservations and estimates. */
  public static void checkForm(List<Line> lines, String operation, Long quantity, String sender) {
    if (operation == null && lines == null) throw Rejection.invalid("lines", "is required (or operation + quantity)");
    if (operation != null && lines != null) throw Rejection.invalid("lines", "give either lines or operation, not both");
    if (operation != null && quantity == null) throw Rejection.invalid("quantity", "is required with operation");
    if (operation == null && (quantity != null || sender != null)) {
      throw Rejection.invalid(quantity != null ? "quantity" : "sender", "only goes with operation");
    }
  }

  /** Commit lines (null = everything). {@code extra}: fields also allowed, e.g. reservationId in a batch. */
  public static List<Line> commitLines(JsonNode body, String... extra) {
    return RequestReader.of(body, fields(List.of(extra), "lines")).lines("lines");
  }

  public static void release(JsonNode body, String... extra) {
    RequestReader.of(body, extra);
  }

  public static RefundRequest refund(JsonNode body, String... extra) {
    RequestReader r = RequestReader.of(body, fields(List.of(extra), "refundId", "lines", "reason"));
    List<Line> lines = r.lines("lines");
    if (lines == null) throw Rejection.invalid("lines", "is required");
    return new RefundRequest(r.id("refundId", true), lines, r.string("reason"));
  }

  /** The unit costs of the request's operation with its sender; null for the lines form. */
  public CompletionStage<Map<String, Long>> unitCosts(String operation, String sender) {
    if (operation == null) return CompletableFuture.completedFuture(null);
    return wallets.registry().get(RegistryEntity.OPERATIONS, operation, askTimeout)
        .thenApply(d -> ((RateCard) d).unitCosts(sender));
  }

  private static String[] fields(List<String> extra, String... base) {
    List<String> all = new java.util.ArrayList<>(List.of(base));
    all.addAll(extra);
    return all.toArray(String[]::new);
  }
}
