package com.creditwallet.ledger;

import com.creditwallet.notify.Backoff;
import com.creditwallet.notify.ExpiryAlertPoller;
import com.creditwallet.notify.ExpiryAlerts;
import com.creditwallet.notify.NotificationFeed;
import com.creditwallet.notify.Notifier;
import com.creditwallet.notify.WebhookDispatcher;
import com.creditwallet.notify.WebhookStore;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.domain.WalletEvent;
import com.typesafe.config.Config;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The read side of one node: the ledger projection (one instance per tag, as a sharded daemon
 * process, so each tag is projected by exactly one node and moves when nodes come and go), the
 * grant-expiry pollers, the webhook dispatchers (a sharded entity per webhook) and their sweeper,
 * and the stores the HTTP routes read. Settings are under {@code wallet.read-side},
 * {@code wallet.notifications} and {@code wallet.webhooks} (reference.conf).
 */
public final class ReadSide {
  public static final String PROJECTION = "wallet-ledger";

  private static final Map<ActorSystem<?>, ReadSide> RUNNING = new ConcurrentHashMap<>();

  private final LedgerQueries queries;
  private final WebhookStore webhooks;
  private final NotificationFeed feed;
  private final ProjectionLag lag;
  private final ClusterSharding sharding;

  private ReadSide(LedgerQueries queries, WebhookStore webhooks, NotificationFeed feed, ProjectionLag lag,
      ClusterSharding sharding) {
    this.queries = queries;
    this.webhooks = webhooks;
    this.feed = feed;
    this.lag = lag;
    this.sharding = sharding;
  }

  /** The read side started on this system (by {@link #start}). */
  public static ReadSide get(ActorSystem<?> system) {
    ReadSide r = RUNNING.get(system);
    if (r == null) throw new IllegalStateException("the read side was not started on " + system.name());
    return r;
  }

  public static ReadSide start(ActorSystem<?> system, WalletSharding wallets, Clock clock) {
    Config c = system.settings().config().getConfig("wallet");
    String keyspace = system.settings().config().getString("wallet.cassandra.keyspace");
    CassandraSession session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    ClusterSharding sharding = ClusterSharding.get(system);

    WebhookStore webhooks = new WebhookStore(session, keyspace);
    Config w = c.getConfig("webhooks");
    WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(
        new Backoff(w.getDuration("backoff-min"), w.getDuration("backoff-max"), w.getInt("max-attempts")),
        w.getInt("max-in-flight"), w.getDuration("request-timeout"), w.getDuration("sweep-interval"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(w.getDuration("connect-timeout"))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    sharding.init(Entity.of(WebhookDispatcher.TYPE_KEY,
        ctx -> WebhookDispatcher.create(ctx.getEntityId(), webhooks, http, settings, clock)));
    Notifier notifier = new Notifier(session, keyspace, webhooks,
        id -> sharding.entityRefFor(WebhookDispatcher.TYPE_KEY, id).tell(WebhookDispatcher.Poke.INSTANCE), clock);
    ShardedDaemonProcess.get(system).init(Sweep.class, "webhook-sweeper", 1,
        i -> sweeper(webhooks, sharding, w.getDuration("sweep-interval")));

    Config n = c.getConfig("notifications");
    ExpiryAlerts alerts = new ExpiryAlerts(session, keyspace, n.getInt("alert-slices"),
        n.getDuration("grant-expiring-lead"), clock);
    ExpiryAlertPoller.init(system, alerts, notifier, n.getDuration("poll-interval"), clock, wallets::wallet);

    ProjectionLag lag = new ProjectionLag();
    LedgerStore store = new LedgerStore(session, keyspace);
    int slices = c.getInt("tag-slices");
    Config rs = c.getConfig("read-side");
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, PROJECTION, slices,
        i -> ProjectionBehavior.create(projection(system, WalletEntity.tagFor(i), store, notifier, alerts, lag, clock,
            rs.getInt("group-size"), rs.getDuration("group-within"))),
        ProjectionBehavior.stopMessage());

    ReadSide readSide = new ReadSide(new LedgerQueries(session, keyspace), webhooks,
        new NotificationFeed(session, keyspace), lag, sharding);
    RUNNING.put(system, readSide);
    system.getWhenTerminated().thenRun(() -> RUNNING.remove(system));
    return readSide;
  }

  private static GroupedProjection<org.apache.pekko.persistence.query.Offset, EventEnvelope<WalletEvent>> projection(
      ActorSystem<?> system, String tag, LedgerStore store, Notifier notifier, ExpiryAlerts alerts, ProjectionLag lag,
      Clock clock, int groupSize, Duration groupWithin) {
    return CassandraProjection.groupedWithin(
            ProjectionId.of(PROJECTION, tag),
            EventSourcedProvider.<WalletEvent>eventsByTag(system, CassandraReadJournal.Identifier(), tag),
            () -> new LedgerHandler(store, notifier, alerts, lag, tag, clock))
        .withGroup(groupSize, groupWithin)
        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
  }

  /** The sweeper's tick. */
  enum Sweep { TICK }

  /** Pokes every webhook's dispatcher now and then: restarts them after a node loss or a passivation. */
  private static Behavior<Sweep> sweeper(WebhookStore webhooks, ClusterSharding sharding, Duration every) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      timers.startTimerWithFixedDelay(Sweep.TICK, every);
      return Behaviors.receive(Sweep.class).onMessageEquals(Sweep.TICK, () -> {
        webhooks.all().thenAccept(all -> all.forEach(h ->
            sharding.entityRefFor(WebhookDispatcher.TYPE_KEY, h.webhookId()).tell(WebhookDispatcher.Poke.INSTANCE)));
        return Behaviors.same();
      }).build();
    }));
  }

  public LedgerQueries queries() {
    return queries;
  }

  public WebhookStore webhooks() {
    return webhooks;
  }

  public NotificationFeed feed() {
    return feed;
  }

  public ProjectionLag lag() {
    return lag;
  }

  /** Wakes a webhook's dispatcher (after it was created or changed). */
  public void poke(String webhookId) {
    sharding.entityRefFor(WebhookDispatcher.TYPE_KEY, webhookId).tell(WebhookDispatcher.Poke.INSTANCE);
  }
}
