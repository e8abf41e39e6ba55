package com.creditwallet.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** GET /metrics: the node's meters in Prometheus' text format, for scrapers (no auth, like health). */
public final class MetricsRoutes extends AllDirectives {
  private final Supplier<PrometheusMeterRegistry> registry;

  public MetricsRoutes(Supplier<PrometheusMeterRegistry> registry) {
    this.registry = registry;
  }

  public Route routes() {
    return path("metrics", () -> get(() -> complete(HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, registry.get().scrape())))));
  }
}
