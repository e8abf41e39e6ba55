package com.creditwallet.ledger;

import com.creditwallet.notify.Backoff;
import com.creditwallet.notify.ExpiryAlertPoller;
import com.creditwallet.notify.ExpiryAlerts;
import com.creditwallet.notify.NotificationFeed;
import com.creditwallet.notify.Notifier;
import com.creditwallet.notify.WebhookDispatcher;
import com.creditwallet.notify.WebhookStore;
import com.creditwallet.wallet.LedgerFeed;
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
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The read side of one node: the ledger feeds of the wallets in memory here (each wallet hands
 * its writes to its own feed, see {@link WalletFeed}), the sweeper that wakes wallets whose node
 * died mid-feed, the grant-expiry pollers, the webhook dispatchers (a sharded entity per webhook)
 * and their sweeper, and the stores the HTTP routes read. Settings are under
 * {@code wallet.read-side}, {@code wallet.notifications} and {@code wallet.webhooks}
 * (reference.conf).
 *
 * <p>Started in two steps, because wallets and read side need each other: {@link #start} builds
 * the feeds the wallets are created with, {@link #watch} then starts what calls the wallets.
 */
public final class ReadSide {
  private static final Map<ActorSystem<?>, ReadSide> RUNNING = new ConcurrentHashMap<>();

  private final ActorSystem<?> system;
  private final Clock clock;
  private final LedgerQueries queries;
  private final WebhookStore webhooks;
  private final NotificationFeed feed;
  private final ProjectionLag lag;
  private final ClusterSharding sharding;
  private final Notifier notifier;
  private final ExpiryAlerts alerts;
  private final FeedMarks marks;
  private final LedgerFeed ledgerFeed;

  private ReadSide(ActorSystem<?> system, Clock clock, CassandraSession session, String keyspace) {
    this.system = system;
    this.clock = clock;
    Config c = system.settings().config().getConfig("wallet");
    this.sharding = ClusterSharding.get(system);
    this.webhooks = new WebhookStore(session, keyspace);
    Config w = c.getConfig("webhooks");
    WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(
        new Backoff(w.getDuration("backoff-min"), w.getDuration("backoff-max"), w.getInt("max-attempts")),
        w.getInt("max-in-flight"), w.getDuration("request-timeout"), w.getDuration("sweep-interval"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(w.getDuration("connect-timeout"))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    sharding.init(Entity.of(WebhookDispatcher.TYPE_KEY,
        ctx -> WebhookDispatcher.create(ctx.getEntityId(), webhooks, http, settings, clock)));
    this.notifier = new Notifier(session, keyspace, webhooks,
        id -> sharding.entityRefFor(WebhookDispatcher.TYPE_KEY, id).tell(WebhookDispatcher.Poke.INSTANCE), clock);
    ShardedDaemonProcess.get(system).init(Sweep.class, "webhook-sweeper", 1,
        i -> sweeper(webhooks, sharding, w.getDuration("sweep-interval")));
    Config n = c.getConfig("notifications");
    this.alerts = new ExpiryAlerts(session, keyspace, n.getInt("alert-slices"), n.getDuration("grant-expiring-lead"),
        clock);
    this.lag = new ProjectionLag();
    this.marks = new FeedMarks(session, keyspace);
    Config rs = c.getConfig("read-side");
    WalletFeed.Settings feedSettings = new WalletFeed.Settings(rs.getInt("max-group"), rs.getInt("max-pending"),
        rs.getDuration("retry-min"), rs.getDuration("retry-max"), rs.getDuration("watermark-flush"),
        rs.getDuration("linger"));
    LedgerStore ledger = new LedgerStore(session, keyspace, rs.getBoolean("ledger-line-cell"));
    this.ledgerFeed = WalletFeed.factory(system, new WalletFeed.Parts(ledger, notifier, alerts, marks, journalReader(system),
        lag, FeedSweeper.owner(Cluster.get(system).selfMember().uniqueAddress()), clock, feedSettings));
    this.queries = new LedgerQueries(session, keyspace);
    this.feed = new NotificationFeed(session, keyspace);
  }

  /** The read side started on this system (by {@link #start}). */
  public static ReadSide get(ActorSystem<?> system) {
    ReadSide r = RUNNING.get(system);
    if (r == null) throw new IllegalStateException("the read side was not started on " + system.name());
    return r;
  }

  /** Step one: stores, webhooks and the feeds to create the wallets with ({@link #ledgerFeed()}). */
  public static ReadSide start(ActorSystem<?> system, Clock clock) {
    String keyspace = system.settings().config().getString("wallet.cassandra.keyspace");
    CassandraSession session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    ReadSide readSide = new ReadSide(system, clock, session, keyspace);
    RUNNING.put(system, readSide);
    system.getWhenTerminated().thenRun(() -> RUNNING.remove(system));
    return readSide;
  }

  /** Step two, once the wallets run: the pollers and sweepers that wake wallets. */
  public ReadSide watch(WalletSharding wallets) {
    Config c = system.settings().config().getConfig("wallet");
    ExpiryAlertPoller.init(system, alerts, notifier, c.getDuration("notifications.poll-interval"), clock,
        wallets::wallet);
    Config rs = c.getConfig("read-side");
    FeedSweeper.init(system, marks, new FeedSweeper.Settings(rs.getDuration("sweep-interval"), rs.getInt("max-wakes"),
        rs.getDuration("newcomer-grace")), wallets::wallet);
    return this;
  }

  /** What wallets hand their events to. */
  public LedgerFeed ledgerFeed() {
    return ledgerFeed;
  }

  /** Reads a wallet's events back from the journal (a feed catching up). */
  private static WalletFeed.JournalReader journalReader(ActorSystem<?> system) {
    CassandraReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    return (walletId, from, to) -> journal
        .currentEventsByPersistenceId(PersistenceId.of(WalletEntity.TYPE_KEY.name(), walletId).id(), from, to)
        .map(e -> new LedgerWriter.Fed(e.sequenceNr(), (WalletEvent) e.event(), e.timestamp()))
        .runWith(Sink.seq(), system);
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
