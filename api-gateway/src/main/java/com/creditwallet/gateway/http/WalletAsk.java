package com.creditwallet.gateway.http;

import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import com.creditwallet.wallet.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every wallet route does: read a strict JSON body, ask the wallet entity with a deadline,
 * and map the answer: success as given, a {@link Rejection} to its problem, a timeout to 503 (the
 * client retries with the same id, which is safe), anything else to a bare 500.
 */
public abstract class WalletAsk extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(WalletAsk.class);

  protected final WalletSharding wallets;
  protected final Duration askTimeout;

  protected WalletAsk(WalletSharding wallets, Duration askTimeout) {
    this.wallets = wallets;
    this.askTimeout = askTimeout;
  }

  protected <T> Route ask(
      String walletId,
      Function<ActorRef<Outcome<T>>, WalletEntity.Command> command,
      Function<T, HttpResponse> answer) {
    Validation.requireId("walletId", walletId);
    CompletionStage<HttpResponse> response = askWallet(wallets, walletId, command, askTimeout)
        .handle((value, failure) -> failure == null ? answer.apply(value) : failed(failure));
    return completeWithFuture(response);
  }

  /**
   * Asks a wallet; its accepted value, or a failed stage carrying its {@link Rejection} (which
   * {@link #failed} maps to the code's status), or a timeout.
   */
  static <T> CompletionStage<T> askWallet(
      WalletSharding wallets, String walletId, Function<ActorRef<Outcome<T>>, WalletEntity.Command> command,
      Duration timeout) {
    // Sent again once, halfway through the timeout, if unanswered: while a shard moves between
    // nodes (a node joins or leaves) sharding drops the messages a node had buffered for it, to
    // keep their order. Every wallet command is idempotent by its ids (a repeat answers as the
    // first did) and reads are reads, so a second copy is safe.
    var wallet = wallets.wallet(walletId);
    Duration first = timeout.dividedBy(2);
    return wallet.<Outcome<T>>ask(command::apply, first).exceptionallyCompose(failure ->
        (failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException)
            ? wallet.<Outcome<T>>ask(command::apply, timeout.minus(first))
            : java.util.concurrent.CompletableFuture.failedStage(failure)).thenApply(o -> {
      if (o.isAccepted()) return o.value();
      throw Rejection.of(o.rejected());
    });
  }

  protected <T> CompletionStage<T> askWallet(String walletId, Function<ActorRef<Outcome<T>>, WalletEntity.Command> command) {
    return askWallet(wallets, walletId, command, askTimeout);
  }

  /** For {@code .handle(...)}: the value as JSON with {@code status}, or the failure as its problem. */
  protected static <T> BiFunction<T, Throwable, HttpResponse> answering(StatusCode status) {
    return (value, failure) -> failure == null ? Json.response(status, value) : failed(failure);
  }

  /** The JSON body (empty = {}); malformed JSON is a 400 naming the body. */
  protected Route withBody(Function<JsonNode, Route> inner) {
    return entity(Unmarshaller.entityToByteString(), bytes -> {
      JsonNode node;
      try {
        node = Json.parse(bytes);
      } catch (IOException e) {
        throw Rejection.invalid("body", "is not valid JSON");
      }
      return inner.apply(node);
    });
  }

  static HttpResponse failed(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof Rejection r) return Problems.of(r);
    if (t instanceof TimeoutException) {
      return Problems.of(503, "SERVICE_UNAVAILABLE",
          "the wallet did not answer in time; retrying with the same id is safe", Map.of());
    }
    log.error("wallet request failed", t);
    return Problems.of(500, "INTERNAL_ERROR", "an internal error occurred", Map.of());
  }
}
