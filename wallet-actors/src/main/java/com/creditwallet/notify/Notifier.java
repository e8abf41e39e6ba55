package com.creditwallet.notify;

import com.creditwallet.cassandra.Prepared;
import com.creditwallet.serialization.IsoInstantModule;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Records notifications, each once: the first writer of an event id wins a position in the
 * wallet's stream (INSERT ... IF NOT EXISTS), later writers of the same id (replays) reuse that
 * position. Each is then appended to the wallet's stream (SSE) and queued for every webhook that
 * wants it; the webhook's dispatcher is poked. Nothing here waits for a receiver.
 *
 * <p>The claim is a lightweight transaction (Paxos: several round trips inside Cassandra, about a
 * millisecond of its CPU each on a small machine), needed only where the id may have been written
 * before. Notifications of events a feed projects for the first time (see
 * {@code LedgerWriter.Fed#fresh}) cannot have been, so they take plain inserts: that matters when
 * many holds expire at once, each with a {@code reservation.expired} notification.
 */
public final class Notifier {
  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new IsoInstantModule()) // JavaTimeModule, with instants written faster
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final CassandraSession session;
  private final WebhookStore webhooks;
  private final Consumer<String> poke;
  private final Clock clock;
  private final Prepared claim;
  private final Prepared record;
  private final Prepared append;

  public Notifier(CassandraSession session, String keyspace, WebhookStore webhooks, Consumer<String> poke, Clock clock) {
    this.session = session;
    this.webhooks = webhooks;
    this.poke = poke;
    this.clock = clock;
    claim = new Prepared(session, "INSERT INTO " + keyspace + ".notification_ids (event_id, wallet_id, position)"
        + " VALUES (?, ?, ?) IF NOT EXISTS");
    record = new Prepared(session, "INSERT INTO " + keyspace + ".notification_ids (event_id, wallet_id, position)"
        + " VALUES (?, ?, ?)");
    append = new Prepared(session, "INSERT INTO " + keyspace + ".wallet_notifications (wallet_id, position, event_id, type,"
        + " payload) VALUES (?, ?, ?, ?, ?)");
  }

  /** The JSON body webhooks receive and SSE data carries: {eventId, type, walletId, at, data}. */
  public static String payload(Notification n) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventId", n.eventId());
    body.put("type", n.type());
    body.put("walletId", n.walletId());
    body.put("at", n.at());
    body.put("data", n.data());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("notification " + n.eventId() + " cannot be serialized", e);
    }
  }

  /** Records the notifications in order (one wallet's order is kept); any may have been recorded before. */
  public CompletionStage<Done> publish(List<Notification> notifications) {
    return publish(notifications, notifications.size());
  }

  /**
   * Records the notifications in order (one wallet's order is kept). Those from index
   * {@code firstFresh} on have never been recorded (nor tried): they skip the once-only claim.
   */
  public CompletionStage<Done> publish(List<Notification> notifications, int firstFresh) {
    if (notifications.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
    CompletionStage<List<Webhook>> subscribers = webhooks.recent();
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (int i = 0; i < notifications.size(); i++) {
      Notification n = notifications.get(i);
      boolean fresh = i >= firstFresh;
      chain = chain.thenCompose(d -> subscribers.thenCompose(hooks -> publish(n, fresh, hooks)));
    }
    return chain;
  }

  private CompletionStage<Done> publish(Notification n, boolean fresh, List<Webhook> hooks) {
    String payload = payload(n);
    UUID candidate = Uuids.timeBased();
    CompletionStage<UUID> claimed = fresh
        ? record.get().thenCompose(ps -> session.executeWrite(ps.bind(n.eventId(), n.walletId(), candidate)))
            .thenApply(d -> candidate)
        : claim.get().thenCompose(ps -> session.selectOne(ps.bind(n.eventId(), n.walletId(), candidate)))
            .thenApply(row -> row.filter(r -> !r.getBoolean("[applied]")).map(r -> r.getUuid("position")).orElse(candidate));
    return claimed
        .thenCompose(position -> append.get().thenCompose(ps ->
            session.executeWrite(ps.bind(n.walletId(), position, n.eventId(), n.type(), payload))))
        .thenCompose(d -> {
          List<CompletableFuture<?>> queued = new ArrayList<>();
          for (Webhook w : hooks) {
            if (!w.wants(n)) continue;
            queued.add(webhooks.enqueue(w.webhookId(), n, payload, clock.instant(), fresh).thenAccept(due -> {
              if (due) poke.accept(w.webhookId());
            }).toCompletableFuture());
          }
          return CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
        });
  }
}
