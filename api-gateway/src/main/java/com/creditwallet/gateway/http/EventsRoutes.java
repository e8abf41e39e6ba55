package com.creditwallet.gateway.http;

import com.creditwallet.ledger.ReadSide;
import com.creditwallet.notify.NotificationFeed;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Source;

/**
 * GET /v1/wallets/{walletId}/events: the wallet's notifications as Server-Sent Events, live. Each
 * event's {@code id} is its position in the wallet's recorded notifications; a client that
 * reconnects with {@code Last-Event-ID} (header, or the {@code lastEventId} parameter for clients
 * that cannot set headers) gets everything after it first, so nothing is missed across a
 * reconnect. Without one, the stream starts now. The stream polls the recorded notifications
 * (every {@link #POLL}), so it works on any node whatever node recorded them.
 */
public final class EventsRoutes extends WalletAsk {
  static final Duration POLL = Duration.ofMillis(500);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final int BATCH = 100;

  private final ActorSystem<?> system;
  private final LedgerRoutes ledger;

  public EventsRoutes(ActorSystem<?> system, WalletSharding wallets, Duration askTimeout) {
    super(wallets, askTimeout);
    this.system = system;
    this.ledger = new LedgerRoutes(system, wallets, askTimeout);
  }

  public Route routes() {
    return pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId -> path("events", () -> get(() ->
        optionalHeaderValueByName("Last-Event-ID", header -> parameterOptional("lastEventId", param ->
            stream(walletId, header.or(() -> param))))))));
  }

  private Route stream(String walletId, Optional<String> lastEventId) {
    Validation.requireId("walletId", walletId);
    UUID start = lastEventId.map(EventsRoutes::position).orElseGet(() -> Uuids.startOf(System.currentTimeMillis()));
    CompletionStage<Source<ServerSentEvent, NotUsed>> events = ledger.exists(walletId).thenApply(ok -> events(walletId, start));
    return onComplete(events, result -> result.isSuccess()
        ? completeOK(result.get(), EventStreamMarshalling.toEventStream())
        : complete(failed(result.failed().get())));
  }

  private static UUID position(String id) {
    try {
      UUID u = UUID.fromString(id.trim());
      if (u.version() != 1) throw new IllegalArgumentException();
      return u;
    } catch (IllegalArgumentException e) {
      throw Rejection.invalid("Last-Event-ID", "is not an event id of this stream");
    }
  }

  private Source<ServerSentEvent, NotUsed> events(String walletId, UUID start) {
    NotificationFeed feed = ReadSide.get(system).feed();
    return Source.unfoldAsync(new Poll(start, true), (Poll p) -> {
      CompletionStage<List<NotificationFeed.Item>> read = p.immediately()
          ? feed.after(walletId, p.position(), BATCH)
          : Patterns.after(POLL, system.classicSystem().scheduler(), system.executionContext(),
              () -> feed.after(walletId, p.position(), BATCH));
      return read.thenApply(items -> {
        UUID last = items.isEmpty() ? p.position() : items.get(items.size() - 1).position();
        return Optional.of(Pair.create(new Poll(last, items.size() == BATCH), items));
      });
    })
        .mapConcat(items -> items)
        .map(i -> ServerSentEvent.create(i.payload(), Optional.of(i.type()), Optional.of(i.position().toString()),
            java.util.OptionalInt.empty()))
        .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat);
  }

  /** Where the stream is, and whether to read again at once (the last read was a full batch). */
  private record Poll(UUID position, boolean immediately) {}
}
