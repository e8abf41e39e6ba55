package com.creditwallet.notify;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * A wallet's recorded notifications after a position, in order: what the SSE stream polls, and
 * where a client resuming with Last-Event-ID (a position) picks up.
 */
public final class NotificationFeed {
  /** One notification of the stream. */
  public record Item(UUID position, String eventId, String type, String payload) {}

  private final CassandraSession session;
  private final Prepared after;

  public NotificationFeed(CassandraSession session, String keyspace) {
    this.session = session;
    after = new Prepared(session, "SELECT position, event_id, type, payload FROM " + keyspace
        + ".wallet_notifications WHERE wallet_id = ? AND position > ? LIMIT ?");
  }

  public CompletionStage<List<Item>> after(String walletId, UUID position, int limit) {
    return after.get().thenCompose(ps -> session.selectAll(ps.bind(walletId, position, limit))).thenApply(rows -> {
      List<Item> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Item(r.getUuid("position"), r.getString("event_id"), r.getString("type"), r.getString("payload")));
      }
      return out;
    });
  }
}
