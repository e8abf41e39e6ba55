package com.creditwallet.notify;

import com.creditwallet.metrics.WalletMetrics;
import com.creditwallet.serialization.CborSerializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Delivers one webhook's notifications: one dispatcher per webhook in the whole cluster (a
 * sharded entity, kept nowhere but Cassandra). Its queue is the webhook's pending rows; it sends
 * at most {@code maxInFlight} at a time, asynchronously, each with a timeout, retries failures
 * with {@link Backoff}, and dead-letters a delivery after the last attempt. Each webhook has its
 * own dispatcher and its own in-flight limit, and wallets only ever write rows: a slow or dead
 * receiver delays nobody but itself.
 */
public final class WebhookDispatcher extends AbstractBehavior<WebhookDispatcher.Msg> {
  public static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "WebhookDispatcher");

  public sealed interface Msg {}

  /** There may be something to deliver (new notifications, a sweep, a timer). */
  public enum Poke implements Msg, CborSerializable { INSTANCE }

  private record Loaded(Optional<Webhook> webhook, List<PendingDelivery> pending, Throwable failure) implements Msg {}

  private record Attempted(PendingDelivery delivery, int status, String error) implements Msg {}

  private record Recorded(String eventId) implements Msg {}

  /** Settings shared by every dispatcher. */
  public record Settings(Backoff backoff, int maxInFlight, Duration requestTimeout, Duration idleRecheck) {}

  private final String webhookId;
  private final DeliveryQueue store;
  private final HttpClient http;
  private final Settings settings;
  private final Clock clock;
  private final TimerScheduler<Msg> timers;
  private final Set<String> inFlight = new HashSet<>();
  /**
   * Deliveries whose attempt was recorded while a read of the pending rows was under way. That read
   * may predate the record and still show them due, so they stay in {@link #inFlight} until it
   * lands; without this a delivery could be sent twice and its attempts counted once.
   */
  private final Set<String> recordedDuringLoad = new HashSet<>();
  private boolean loading;
  private boolean dirty;

  private WebhookDispatcher(ActorContext<Msg> ctx, TimerScheduler<Msg> timers, String webhookId, DeliveryQueue store,
      HttpClient http, Settings settings, Clock clock) {
    super(ctx);
    this.timers = timers;
    this.webhookId = webhookId;
    this.store = store;
    this.http = http;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Msg> create(String webhookId, DeliveryQueue store, HttpClient http, Settings settings,
      Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.getSelf().tell(Poke.INSTANCE);
      return new WebhookDispatcher(ctx, timers, webhookId, store, http, settings, clock);
    }));
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Poke.INSTANCE, this::load)
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(Attempted.class, this::onAttempted)
        .onMessage(Recorded.class, r -> {
          if (loading) recordedDuringLoad.add(r.eventId());
          else inFlight.remove(r.eventId());
          return load();
        })
        .build();
  }

  private Behavior<Msg> load() {
    if (loading) {
      dirty = true;
      return this;
    }
    loading = true;
    dirty = false;
    getContext().pipeToSelf(store.get(webhookId).thenCombine(store.pending(webhookId), (w, p) -> new Loaded(w, p, null)),
        (loaded, failure) -> failure == null ? loaded : new Loaded(Optional.empty(), List.of(), failure));
    return this;
  }

  private Behavior<Msg> onLoaded(Loaded l) {
    loading = false;
    try {
      return onLoadedSkipping(l);
    } finally {
      // The next read starts after these records were written.
      inFlight.removeAll(recordedDuringLoad);
      recordedDuringLoad.clear();
    }
  }

  private Behavior<Msg> onLoadedSkipping(Loaded l) {
    if (l.failure() != null) {
      getContext().getLog().warn("webhook {}: could not read its deliveries: {}", webhookId, l.failure().toString());
      timers.startSingleTimer(Poke.INSTANCE, settings.idleRecheck());
      return this;
    }
    if (l.webhook().isEmpty()) return Behaviors.stopped(); // deleted: its pending rows went with it
    Webhook w = l.webhook().get();
    Instant now = clock.instant();
    Instant next = null;
    for (PendingDelivery p : l.pending()) {
      if (inFlight.contains(p.eventId())) continue;
      boolean due = p.nextAttemptAt() == null || !p.nextAttemptAt().isAfter(now);
      if (due && inFlight.size() < settings.maxInFlight()) {
        send(w, p);
      } else if (!due && (next == null || p.nextAttemptAt().isBefore(next))) {
        next = p.nextAttemptAt();
      }
    }
    if (dirty) return load();
    Duration wait = next == null ? settings.idleRecheck() : Duration.between(now, next);
    if (wait.compareTo(settings.idleRecheck()) > 0) wait = settings.idleRecheck();
    timers.startSingleTimer(Poke.INSTANCE, wait.isNegative() ? Duration.ZERO : wait);
    return this;
  }

  private void send(Webhook w, PendingDelivery p) {
    inFlight.add(p.eventId());
    byte[] body = p.payload().getBytes(StandardCharsets.UTF_8);
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(w.url()))
          .timeout(settings.requestTimeout())
          .header("Content-Type", "application/json")
          .header(WebhookSigner.HEADER, WebhookSigner.signature(w.secret(), body))
          .header("X-Wallet-Event-Id", p.eventId())
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
    } catch (IllegalArgumentException e) {
      getContext().getSelf().tell(new Attempted(p, 0, "invalid url"));
      return;
    }
    getContext().pipeToSelf(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()),
        (response, failure) -> failure == null
            ? new Attempted(p, response.statusCode(), null)
            : new Attempted(p, 0, failure.getClass().getSimpleName()));
  }

  private Behavior<Msg> onAttempted(Attempted a) {
    PendingDelivery p = a.delivery();
    int attempts = p.attempts() + 1;
    Instant now = clock.instant();
    Integer lastStatus = a.status() == 0 ? null : a.status();
    String status;
    Instant next = null;
    String error = a.error() != null ? a.error() : (a.status() >= 200 && a.status() < 300 ? null : "HTTP " + a.status());
    if (a.status() >= 200 && a.status() < 300) {
      status = Delivery.DELIVERED;
    } else if (settings.backoff().exhausted(attempts)) {
      status = Delivery.DEAD;
    } else {
      status = Delivery.PENDING;
      next = now.plus(settings.backoff().after(attempts, ThreadLocalRandom.current()::nextDouble));
    }
    WalletMetrics.get().webhookAttempt(Delivery.DELIVERED.equals(status) ? "delivered"
        : Delivery.DEAD.equals(status) ? "dead" : "failed");
    Instant deliveredAt = Delivery.DELIVERED.equals(status) ? now : null;
    getContext().pipeToSelf(store.attempted(webhookId, p, status, attempts, next, lastStatus, error, deliveredAt),
        (done, failure) -> {
          if (failure != null) {
            getContext().getLog().warn("webhook {}: could not record delivery {}: {}", webhookId, p.eventId(),
                failure.toString());
          }
          return new Recorded(p.eventId());
        });
    return this;
  }
}
