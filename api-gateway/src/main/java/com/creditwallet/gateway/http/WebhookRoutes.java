package com.creditwallet.gateway.http;

import com.creditwallet.ledger.ReadSide;
import com.creditwallet.notify.Delivery;
import com.creditwallet.notify.Notification;
import com.creditwallet.notify.Webhook;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * /v1/webhooks/{webhookId} (admin): subscriptions to notifications, and their deliveries. The
 * secret is write-only: answers say whether one is set, never what it is.
 */
public final class WebhookRoutes extends AllDirectives {
  private static final int MAX_SECRET = 256;

  private final ActorSystem<?> system;

  public WebhookRoutes(ActorSystem<?> system) {
    this.system = system;
  }

  private ReadSide readSide() {
    return ReadSide.get(system);
  }

  public Route routes() {
    return pathPrefix("webhooks", () -> pathPrefix(PathMatchers.segment(), id -> concat(
        pathEnd(() -> concat(
            put(() -> entity(Unmarshaller.entityToByteString(), bytes -> {
              JsonNode body;
              try {
                body = Json.parse(bytes);
              } catch (IOException e) {
                throw Rejection.invalid("body", "is not valid JSON");
              }
              return put(id, RequestReader.of(body, "url", "secret", "events", "walletId"), body.get("events"));
            })),
            get(() -> completeWithFuture(found(id).thenApply(w -> Json.response(StatusCodes.OK, view(w)))
                .exceptionally(WebhookRoutes::failed))),
            delete(() -> completeWithFuture(found(id).thenCompose(w -> readSide().webhooks().delete(id))
                .thenApply(d -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT))
                .exceptionally(WebhookRoutes::failed))))),
        path("deliveries", () -> get(() -> parameterMap(params -> {
          ReportParams p = ReportParams.of(params, "limit");
          int limit = p.integer("limit", 1, 1_000, 100);
          return completeWithFuture(found(id).thenCompose(w -> readSide().webhooks().deliveries(id, limit))
              .thenApply(ds -> Json.response(StatusCodes.OK, Map.of("webhookId", id, "deliveries", deliveries(ds))))
              .exceptionally(WebhookRoutes::failed));
        }))))));
  }

  private Route put(String id, RequestReader r, JsonNode events) {
    Validation.requireId("webhookId", id);
    String url = r.requiredString("url");
    try {
      URI u = new URI(url);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw Rejection.invalid("url", "must be an absolute http or https URL");
      }
    } catch (URISyntaxException e) {
      throw Rejection.invalid("url", "must be an absolute http or https URL");
    }
    String secret = r.requiredString("secret");
    if (secret.isEmpty() || secret.length() > MAX_SECRET) {
      throw Rejection.invalid("secret", "must be 1 to " + MAX_SECRET + " characters");
    }
    String walletId = r.id("walletId", false);
    if (events == null || !events.isArray() || events.isEmpty()) {
      throw Rejection.invalid("events", "must be a non-empty array of " + Notification.TYPES);
    }
    TreeSet<String> types = new TreeSet<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (!e.isTextual() || !Notification.TYPES.contains(e.textValue())) {
        throw Rejection.invalid("events[" + i + "]", "must be one of " + Notification.TYPES);
      }
      types.add(e.textValue());
    }
    Webhook w = new Webhook(id, url, secret, types, walletId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return completeWithFuture(readSide().webhooks().put(w).thenApply(d -> {
      readSide().poke(id);
      return Json.response(StatusCodes.OK, view(w));
    }).exceptionally(WebhookRoutes::failed));
  }

  private CompletionStage<Webhook> found(String id) {
    Validation.requireId("webhookId", id);
    return readSide().webhooks().get(id).thenApply(o -> o.orElseThrow(() ->
        new Rejection("WEBHOOK_NOT_FOUND", "webhook " + id + " does not exist", Map.of())));
  }

  private static Map<String, Object> view(Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("webhookId", w.webhookId());
    m.put("url", w.url());
    m.put("events", new ArrayList<>(w.events()));
    m.put("walletId", w.walletId());
    m.put("secretSet", w.secret() != null && !w.secret().isEmpty());
    m.put("updatedAt", w.updatedAt());
    return m;
  }

  private static List<Map<String, Object>> deliveries(List<Delivery> ds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Delivery d : ds) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eventId", d.eventId());
      m.put("type", d.type());
      m.put("createdAt", d.createdAt());
      m.put("status", d.status());
      m.put("attempts", d.attempts());
      m.put("nextAttemptAt", d.nextAttemptAt());
      m.put("lastStatus", d.lastStatus());
      m.put("lastError", d.lastError());
      m.put("deliveredAt", d.deliveredAt());
      out.add(m);
    }
    return out;
  }

  private static HttpResponse failed(Throwable t) {
    return WalletAsk.failed(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
  }
}
