package com.creditwallet.gateway.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Pekko Management over HTTP on {@code pekko.management.http.port} (WALLET_MANAGEMENT_PORT):
 * {@code GET /cluster/members}, {@code PUT /cluster/members/<address>} with
 * {@code operation=Leave|Down}, {@code DELETE /cluster/members/<address>}, and
 * {@code /health/ready}, {@code /health/alive}, all behind {@code Authorization: Bearer <admin key>}.
 *
 * <p>Why its own server and not {@code PekkoManagement.start()}: management's own auth hook is
 * HTTP Basic for every route, but cluster bootstrap's {@code /bootstrap/seed-nodes} is probed by
 * the other starting nodes, which send no credentials. So that one read-only path (it only lists
 * member addresses) stays open, and everything else needs the same admin key as the API.
 */
public final class ManagementServer extends AllDirectives {
  private final byte[] adminKey;

  private ManagementServer(String adminKey) {
    this.adminKey = adminKey.getBytes(StandardCharsets.UTF_8);
  }

  /** Binds the management routes, unbinding in coordinated shutdown; fails if the port is taken. */
  public static ServerBinding start(ActorSystem<?> system, String adminKey) {
    if (adminKey == null || adminKey.isBlank()) {
      throw new IllegalStateException("the management endpoint needs WALLET_ADMIN_KEY");
    }
    var config = system.settings().config();
    String host = config.getString("pekko.management.http.hostname");
    int port = config.getInt("pekko.management.http.port");
    // Building the routes also tells cluster bootstrap its own contact point (host:port above).
    Route management = PekkoManagement.get(system).getRoutes(s -> s.withReadOnly(false));
    Route route = new ManagementServer(adminKey).routes(management);
    try {
      ServerBinding binding = Http.get(system).newServerAt(host, port).bind(route)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
      system.log().info("management HTTP on {}", binding.localAddress());
      return binding;
    } catch (Exception e) {
      throw new IllegalStateException("the management endpoint could not bind " + host + ":" + port + ": " + e, e);
    }
  }

  Route routes(Route management) {
    return concat(
        pathPrefixTest("bootstrap", () -> get(() -> management)),
        authorized(() -> management));
  }

  private Route authorized(java.util.function.Supplier<Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> key = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim());
      if (key.isEmpty() || !MessageDigest.isEqual(key.get().getBytes(StandardCharsets.UTF_8), adminKey)) {
        return complete(HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED)
            .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "wallet-management")))
            .withEntity("a valid 'Authorization: Bearer <admin key>' header is required"));
      }
      return inner.get();
    });
  }
}
