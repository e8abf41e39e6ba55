package com.creditwallet.gateway.http;

import com.creditwallet.flow.Admission;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletEntity.BatchItem;
import com.creditwallet.wallet.WalletEntity.BatchResult;
import com.creditwallet.wallet.WalletEntity.BatchResults;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * POST /v1/batch: up to 1,000 spending calls in one HTTP request, the high-volume sender's path.
 * Items are read one by one (a bad item gets its own 400 and never affects the others), grouped
 * per wallet in request order and sent as a few {@link WalletEntity.Batch} commands per wallet,
 * each persisted in one write; different wallets proceed in parallel. Each result is what the
 * single call would have answered, status and body.
 */
public final class BatchRoutes extends WalletAsk {
  public static final int MAX_REQUESTS = 1000;

  private final SpendingRequests requests;
  /** Items per wallet command: bounds one journal write (Cassandra rejects huge batches). */
  private final int chunk;

  /** Node-wide bound on this route's wallet asks in flight. */
  private final Admission admission;
  /** How long after a batch arrives its asks may still wait for a turn. */
  private final Duration admissionWait;

  /**
   * {@code admissionWait} plus the ask timeout should stay under the HTTP request timeout, so a
   * batch always answers item by item rather than as a whole 503.
   */
  public BatchRoutes(WalletSharding wallets, Duration askTimeout, int chunk, Admission admission,
      Duration admissionWait) {
    super(wallets, askTimeout);
    this.requests = new SpendingRequests(wallets, askTimeout);
    this.chunk = chunk;
    this.admission = admission;
    this.admissionWait = admissionWait;
  }

  /** The node-wide turns of this route's wallet asks (tests hold one to make a turn busy). */
  public Admission admission() {
    return admission;
  }

  public Route routes() {
    return path("batch", () -> post(() -> withBody(body -> {
      JsonNode items = RequestReader.of(body, "requests").has("requests") ? body.get("requests") : null;
      if (items == null || !items.isArray()) throw Rejection.invalid("requests", "must be an array of {walletId, op, body}");
      if (items.isEmpty() || items.size() > MAX_REQUESTS) {
        throw Rejection.invalid("requests", "must have 1 to " + MAX_REQUESTS + " requests");
      }
      return completeWithFuture(run(items).thenApply(results ->
          Json.response(StatusCodes.OK, Map.of("results", results))));
    })));
  }

  /** One item after reading: where it goes and what it does, or its answer already. */
  private static final class Item {
    final int index;
    String walletId;
    int okStatus;
    ReserveRequest reserve;
    ReservationKind kind;
    BatchItem command;
    Map<String, Object> result;

    Item(int index) {
      this.index = index;
    }

    void answer(int status, Object body) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("status", status);
      r.put("body", body);
      result = r;
    }
  }

  private CompletionStage<List<Map<String, Object>>> run(JsonNode nodes) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) items.add(read(i, nodes.get(i)));
    return resolveRateCards(items).thenCompose(v -> {
      Map<String, List<Item>> byWallet = new LinkedHashMap<>();
      for (Item item : items) {
        if (item.result == null) byWallet.computeIfAbsent(item.walletId, w -> new ArrayList<>()).add(item);
      }
      List<CompletableFuture<Void>> all = new ArrayList<>();
      long deadline = System.nanoTime() + admissionWait.toNanos();
      byWallet.forEach((walletId, group) -> all.add(sendInOrder(walletId, group, deadline).toCompletableFuture()));
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }).thenApply(v -> {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Item item : items) out.add(item.result);
      return out;
    });
  }

  private Item read(int index, JsonNode node) {
    Item item = new Item(index);
    try {
      RequestReader r = RequestReader.of(node, "walletId", "op", "body");
      item.walletId = r.id("walletId", true);
      String op = r.requiredString("op");
      JsonNode body = node.get("body");
      if (body == null || body.isNull()) body = Json.MAPPER.createObjectNode();
      switch (op) {
        case "reserve", "debit" -> {
          item.kind = op.equals("debit") ? ReservationKind.DEBIT : ReservationKind.HOLD;
          item.reserve = SpendingRequests.reserve(body, item.kind);
          item.okStatus = 201;
        }
        case "commit" -> {
          String id = reservationId(body);
          item.command = new WalletEntity.CommitItem(id, SpendingRequests.commitLines(body, "reservationId"));
          item.okStatus = 200;
        }
        case "release" -> {
          String id = reservationId(body);
          SpendingRequests.release(body, "reservationId");
          item.command = new WalletEntity.ReleaseItem(id);
          item.okStatus = 200;
        }
        case "refund" -> {
          String id = reservationId(body);
          item.command = new WalletEntity.RefundItem(id, SpendingRequests.refund(body, "reservationId"));
          item.okStatus = 200;
        }
        default -> throw Rejection.invalid("op", "must be one of reserve, commit, release, refund, debit");
      }
    } catch (Rejection e) {
      item.answer(ProblemStatus.of(e.code()), Problems.body(e));
    }
    return item;
  }

  private static String reservationId(JsonNode body) {
    JsonNode id = body.get("reservationId");
    if (id == null || !id.isTextual()) throw Rejection.invalid("body.reservationId", "is required");
    Validation.requireId("reservationId", id.textValue());
    return id.textValue();
  }

  /** Each distinct operation is read once; an unknown one answers only its own items. */
  private CompletionStage<Void> resolveRateCards(List<Item> items) {
    Map<String, CompletableFuture<Map<String, Long>>> cards = new HashMap<>();
    List<CompletableFuture<?>> waits = new ArrayList<>();
    for (Item item : items) {
      if (item.result != null || item.reserve == null) continue;
      String key = item.reserve.operation() + "\u0000" + item.reserve.sender();
      CompletableFuture<Map<String, Long>> costs = cards.computeIfAbsent(key, k ->
          requests.unitCosts(item.reserve.operation(), item.reserve.sender()).toCompletableFuture());
      waits.add(costs.handle((c, failure) -> {
        if (failure != null) {
          item.answer(statusOf(failure), problemOf(failure));
        } else {
          item.command = new WalletEntity.ReserveItem(item.reserve, c, item.kind);
        }
        return null;
      }));
    }
    return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
  }

  /**
   * The wallet's items, chunk after chunk: later items see what earlier ones did. Each chunk's ask
   * waits for a turn until {@code deadline} (System.nanoTime()); one that gets none answers 503.
   */
  private CompletionStage<Void> sendInOrder(String walletId, List<Item> group, long deadline) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int from = 0; from < group.size(); from += chunk) {
      List<Item> part = group.subList(from, Math.min(group.size(), from + chunk));
      List<BatchItem> commands = new ArrayList<>();
      for (Item item : part) commands.add(item.command);
      chain = chain.thenCompose(v -> admitted(deadline, () -> wallets.wallet(walletId)
          .<BatchResults>ask(reply -> new WalletEntity.Batch(commands, reply), askTimeout))
          .handle((results, failure) -> {
            for (int i = 0; i < part.size(); i++) {
              Item item = part.get(i);
              if (failure != null) {
                item.answer(statusOf(failure), problemOf(failure));
              } else {
                BatchResult r = results.results().get(i);
                if (r.rejection() == null) item.answer(item.okStatus, r.reservation());
                else item.answer(ProblemStatus.of(r.rejection().code()), Problems.body(Rejection.of(r.rejection())));
              }
            }
            return null;
          }));
    }
    return chain;
  }

  /** Runs {@code ask} once it has a turn, and gives the turn back when it is answered or fails. */
  private <T> CompletionStage<T> admitted(long deadline, Supplier<CompletionStage<T>> ask) {
    return admission.acquire(Duration.ofNanos(deadline - System.nanoTime())).thenCompose(go -> {
      try {
        return ask.get().whenComplete((r, failure) -> admission.release());
      } catch (RuntimeException e) {
        admission.release();
        throw e;
      }
    });
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static int statusOf(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof Rejection r) return ProblemStatus.of(r.code());
    return t instanceof TimeoutException ? 503 : 500;
  }

  private static Map<String, Object> problemOf(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof Rejection r) return Problems.body(r);
    if (t instanceof Admission.Busy) {
      return Problems.body(503, "SERVICE_UNAVAILABLE",
          "this node is busy with other wallets and did not send this item; retrying with the same id is safe", Map.of());
    }
    if (t instanceof TimeoutException) {
      return Problems.body(503, "SERVICE_UNAVAILABLE", "the wallet did not answer in time; retrying with the same id is safe", Map.of());
    }
    return Problems.body(500, "INTERNAL_ERROR", "an internal error occurred", Map.of());
  }
}
