package com.creditwallet.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.creditwallet.testing.StoreItSystem;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The webhook list notifications are published to is shared between publishes that start close
 * together; a webhook saved or deleted on this node must still show in the very next publish.
 */
@ExtendWith(CassandraExtension.class)
class WebhookStoreIT {
  private static ActorSystem<Void> system;
  private static CassandraTestKeyspace cassandra;
  /** With a sharing window of an hour, so what is shared does not depend on timing. */
  private static WebhookStore store;

  @BeforeAll
  static void start(CassandraTestKeyspace keyspace) {
    cassandra = keyspace;
    system = StoreItSystem.start(WebhookStoreIT.class, keyspace);
    store = new WebhookStore(StoreItSystem.session(system),
        keyspace.keyspace(), TimeUnit.HOURS.toNanos(1));
  }

  @AfterAll
  static void stop() throws Exception {
    StoreItSystem.stop(system);
  }

  private static Webhook hook(String id) {
    return new Webhook(id, "https://example.com/" + id, "secret-" + id, Set.of("balance.low"), null, Instant.now());
  }

  private static List<String> recentIds() throws Exception {
    return store.recent().toCompletableFuture().get(30, TimeUnit.SECONDS).stream().map(Webhook::webhookId).sorted().toList();
  }

  @Test
  void publishesShareARecentReadUnlessAWebhookChangedHere() throws Exception {
    store.put(hook("wh-a")).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("wh-a"), recentIds());
    // Written behind this store's back (as another node would): the shared read still serves.
    try (var s = cassandra.openSession()) {
      s.execute("INSERT INTO webhooks (webhook_id, url, secret, events) VALUES ('wh-other', 'https://example.com/o',"
          + " 'secret-o', {'balance.low'})");
    }
    assertEquals(List.of("wh-a"), recentIds());
    // Saved through this store: the next publish reads again and sees it.
    store.put(hook("wh-b")).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("wh-a", "wh-b", "wh-other"), recentIds());
    store.delete("wh-a").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("wh-b", "wh-other"), recentIds());
  }
}
