package com.creditwallet.notify;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/** Webhook subscriptions and their deliveries in Cassandra (tables in readside.cql). */
public final class WebhookStore implements DeliveryQueue {
  private final CassandraSession session;
  private final Prepared put;
  private final Prepared get;
  private final Prepared all;
  private final Prepared delete;
  private final Prepared newDelivery;
  private final Prepared firstDelivery;
  private final Prepared updateDelivery;
  private final Prepared deliveries;
  private final Prepared putPending;
  private final Prepared pending;
  private final Prepared deletePending;
  private final Prepared dropPending;

  /** How long a started read of every webhook serves later publishes ({@link #recent()}). */
  static final long SHARE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private record SharedRead(long startedNanos, CompletionStage<List<Webhook>> list) {}

  private final long shareNanos;
  private final AtomicReference<SharedRead> shared = new AtomicReference<>();

  public WebhookStore(CassandraSession session, String keyspace) {
    this(session, keyspace, SHARE_NANOS);
  }

  /** With another sharing window for {@link #recent()} (tests). */
  WebhookStore(CassandraSession session, String keyspace, long shareNanos) {
    this.shareNanos = shareNanos;
    this.session = session;
    put = new Prepared(session, "INSERT INTO " + keyspace + ".webhooks (webhook_id, url, secret, events, wallet_id, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)");
    get = new Prepared(session, "SELECT * FROM " + keyspace + ".webhooks WHERE webhook_id = ?");
    all = new Prepared(session, "SELECT * FROM " + keyspace + ".webhooks");
    delete = new Prepared(session, "DELETE FROM " + keyspace + ".webhooks WHERE webhook_id = ?");
    newDelivery = new Prepared(session, "INSERT INTO " + keyspace + ".webhook_deliveries (webhook_id, created_at, event_id,"
        + " type, payload, status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?) IF NOT EXISTS");
    firstDelivery = new Prepared(session, "INSERT INTO " + keyspace + ".webhook_deliveries (webhook_id, created_at, event_id,"
        + " type, payload, status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?)");
    updateDelivery = new Prepared(session, "UPDATE " + keyspace + ".webhook_deliveries SET status = ?, attempts = ?,"
        + " next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?"
        + " WHERE webhook_id = ? AND created_at = ? AND event_id = ?");
    deliveries = new Prepared(session, "SELECT * FROM " + keyspace + ".webhook_deliveries WHERE webhook_id = ? LIMIT ?");
    putPending = new Prepared(session, "INSERT INTO " + keyspace + ".webhook_pending (webhook_id, event_id, created_at,"
        + " payload, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)");
    pending = new Prepared(session, "SELECT * FROM " + keyspace + ".webhook_pending WHERE webhook_id = ?");
    deletePending = new Prepared(session, "DELETE FROM " + keyspace + ".webhook_pending WHERE webhook_id = ? AND event_id = ?");
    dropPending = new Prepared(session, "DELETE FROM " + keyspace + ".webhook_pending WHERE webhook_id = ?");
  }

  public CompletionStage<Done> put(Webhook w) {
    return put.get().thenCompose(ps -> session.executeWrite(ps.bind(w.webhookId(), w.url(), w.secret(), w.events(),
        w.walletId(), w.updatedAt()))).thenApply(this::changed);
  }

  @Override
  public CompletionStage<Optional<Webhook>> get(String webhookId) {
    return get.get().thenCompose(ps -> session.selectOne(ps.bind(webhookId))).thenApply(o -> o.map(WebhookStore::webhook));
  }

  /**
   * Every webhook, from a read that started at most {@link #SHARE_NANOS} (20 ms) ago. Each group of
   * notifications a feed records needs the list: when many holds expire at once that was a scan
   * of this table per group, over a thousand a second on one node. Publishes starting close
   * together now share one scan. A webhook saved or deleted through this node drops the shared
   * read at once, so this node's next publish sees it; from another node it shows within the
   * window plus the write itself, which a read of our own could not beat by much anyway.
   */
  public CompletionStage<List<Webhook>> recent() {
    long now = System.nanoTime();
    SharedRead r = shared.get();
    if (r != null && now - r.startedNanos() < shareNanos) return r.list();
    SharedRead next = new SharedRead(now, all());
    shared.set(next);
    return next.list();
  }

  private <T> T changed(T result) {
    shared.set(null);
    return result;
  }

  public CompletionStage<List<Webhook>> all() {
    return all.get().thenCompose(ps -> session.selectAll(ps.bind())).thenApply(rows -> {
      List<Webhook> out = new ArrayList<>();
      for (Row r : rows) out.add(webhook(r));
      return out;
    });
  }

  /** Removes the webhook and the deliveries it still had to make. */
  public CompletionStage<Done> delete(String webhookId) {
    return delete.get().thenCompose(ps -> session.executeWrite(ps.bind(webhookId))).thenApply(this::changed)
        .thenCompose(d -> dropPending.get())
        .thenCompose(ps -> session.executeWrite(ps.bind(webhookId)));
  }

  private static Webhook webhook(Row r) {
    return new Webhook(r.getString("webhook_id"), r.getString("url"), r.getString("secret"),
        r.getSet("events", String.class), r.getString("wallet_id"), r.getInstant("updated_at"));
  }

  /**
   * Queues a notification for a webhook, once: the delivery row is created only if it is not
   * there (its key is derived from the notification), and the pending row is (re)written while
   * the delivery is still pending, so a replay after a crash in between completes the pair.
   * True when there is something to deliver. A {@code fresh} notification (never recorded nor
   * tried before, see {@code Notifier}) cannot have a delivery row yet: both rows are written
   * plainly, without the lightweight transaction.
   */
  public CompletionStage<Boolean> enqueue(String webhookId, Notification n, String payload, Instant now, boolean fresh) {
    if (fresh) {
      return firstDelivery.get()
          .thenCompose(ps -> session.executeWrite(ps.bind(webhookId, n.at(), n.eventId(), n.type(), payload, now)))
          .thenCompose(d -> putPending.get())
          .thenCompose(ps -> session.executeWrite(ps.bind(webhookId, n.eventId(), n.at(), payload, 0, now)))
          .thenApply(d -> true);
    }
    return newDelivery.get()
        .thenCompose(ps -> session.selectOne(ps.bind(webhookId, n.at(), n.eventId(), n.type(), payload, now)))
        .thenCompose(row -> {
          boolean applied = row.map(r -> r.getBoolean("[applied]")).orElse(true);
          boolean stillPending = applied || row.map(r -> Delivery.PENDING.equals(r.getString("status"))).orElse(false);
          if (!stillPending) return java.util.concurrent.CompletableFuture.completedFuture(false);
          int attempts = applied ? 0 : row.get().getInt("attempts");
          return putPending.get().thenCompose(ps -> session.executeWrite(ps.bind(webhookId, n.eventId(), n.at(), payload,
              attempts, now))).thenApply(d -> true);
        });
  }

  @Override
  public CompletionStage<List<PendingDelivery>> pending(String webhookId) {
    return pending.get().thenCompose(ps -> session.selectAll(ps.bind(webhookId))).thenApply(rows -> {
      List<PendingDelivery> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new PendingDelivery(r.getString("event_id"), r.getInstant("created_at"), r.getString("payload"),
            r.getInt("attempts"), r.getInstant("next_attempt_at")));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<Done> attempted(String webhookId, PendingDelivery p, String status, int attempts,
      Instant nextAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt) {
    CompletionStage<Done> history = updateDelivery.get().thenCompose(ps -> session.executeWrite(ps.bind(status, attempts,
        nextAttemptAt, lastStatus, lastError, deliveredAt, webhookId, p.createdAt(), p.eventId())));
    CompletionStage<Done> queue = Delivery.PENDING.equals(status)
        ? putPending.get().thenCompose(ps -> session.executeWrite(ps.bind(webhookId, p.eventId(), p.createdAt(), p.payload(),
            attempts, nextAttemptAt)))
        : deletePending.get().thenCompose(ps -> session.executeWrite(ps.bind(webhookId, p.eventId())));
    return history.thenCombine(queue, (a, b) -> Done.getInstance());
  }

  /** The newest deliveries first. */
  public CompletionStage<List<Delivery>> deliveries(String webhookId, int limit) {
    return deliveries.get().thenCompose(ps -> session.selectAll(ps.bind(webhookId, limit))).thenApply(rows -> {
      List<Delivery> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Delivery(r.getString("event_id"), r.getString("type"), r.getInstant("created_at"),
            r.getString("status"), r.getInt("attempts"), r.getInstant("next_attempt_at"),
            r.isNull("last_status") ? null : r.getInt("last_status"), r.getString("last_error"),
            r.getInstant("delivered_at")));
      }
      return out;
    });
  }
}
