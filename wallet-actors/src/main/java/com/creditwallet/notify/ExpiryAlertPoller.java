package com.creditwallet.notify;

import com.creditwallet.wallet.Outcome;
import com.creditwallet.wakeup.WakeLimiter;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.GrantIds;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * Fires grant.expiring. One poller per slice of grant_expiry_alerts (a sharded daemon process,
 * like the wake-up pollers). For a due row it reads the wallet (a read-only ask) and notifies only
 * if the grant still has credits and still expires at the time the row was made for (to the
 * millisecond, Cassandra's precision; a grant
 * moved to a later expiry has a row for that one); then deletes the row. The event id is derived
 * from wallet, grant and expiry, so a row fired twice (crash before the delete) notifies once.
 */
public final class ExpiryAlertPoller {
  public sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private enum RoundDone implements Msg { INSTANCE }

  private final int slice;
  private final ExpiryAlerts alerts;
  private final Notifier notifier;
  private final Clock clock;
  private final Function<String, EntityRef<WalletEntity.Command>> wallets;
  private final WakeLimiter limiter;

  private ExpiryAlertPoller(int slice, ExpiryAlerts alerts, Notifier notifier, Clock clock,
      Function<String, EntityRef<WalletEntity.Command>> wallets, WakeLimiter limiter) {
    this.slice = slice;
    this.alerts = alerts;
    this.notifier = notifier;
    this.clock = clock;
    this.wallets = wallets;
    this.limiter = limiter;
  }

  public static void init(ActorSystem<?> system, ExpiryAlerts alerts, Notifier notifier, Duration interval, Clock clock,
      Function<String, EntityRef<WalletEntity.Command>> wallets) {
    ShardedDaemonProcess.get(system).init(Msg.class, "grant-expiry-alerts", alerts.slices(),
        slice -> new ExpiryAlertPoller(slice, alerts, notifier, clock, wallets, WakeLimiter.get(system))
            .behavior(interval));
  }

  private Behavior<Msg> behavior(Duration interval) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      timers.startSingleTimer(Tick.INSTANCE, interval);
      return Behaviors.receive(Msg.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            ctx.pipeToSelf(round(), (done, failure) -> {
              if (failure != null) ctx.getLog().warn("expiry alerts of slice {} failed: {}", slice, failure.toString());
              return RoundDone.INSTANCE;
            });
            return Behaviors.same();
          })
          .onMessageEquals(RoundDone.INSTANCE, () -> {
            timers.startSingleTimer(Tick.INSTANCE, interval);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private CompletionStage<Done> round() {
    return alerts.due(slice, clock.instant()).thenCompose(rows -> {
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (ExpiryAlerts.Due d : rows) all.add(fire(d).thenCompose(x -> alerts.done(d)).toCompletableFuture());
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
    });
  }

  private CompletionStage<Done> fire(ExpiryAlerts.Due d) {
    // Reading a wallet that is not in memory recovers it: as costly as a wake-up, and as many.
    return limiter.submit(() -> wallets.apply(d.walletId())
            .<Outcome<WalletView>>ask(WalletEntity.GetWallet::new, Duration.ofSeconds(10)))
        .thenCompose(o -> {
          if (!o.isAccepted()) return CompletableFuture.completedFuture(Done.getInstance());
          for (GrantView g : o.value().grants()) {
            // The alert has the grant's key; the view shows the id its issuer gave (GrantIds).
            if (g.grantId().equals(GrantIds.display(d.grantId())) && !g.expired() && g.remaining() > 0
                && g.expiresAt() != null && d.expiresAt().toEpochMilli() == g.expiresAt().toEpochMilli()) {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("grantId", g.grantId());
              data.put("category", g.category());
              data.put("remaining", g.remaining());
              data.put("expiresAt", g.expiresAt());
              String id = Notification.idFor(d.walletId(), "expiring@" + d.expiresAt().toEpochMilli(),
                  Notification.GRANT_EXPIRING, d.grantId());
              return notifier.publish(List.of(new Notification(id, Notification.GRANT_EXPIRING, d.walletId(),
                  d.dueAt(), data)));
            }
          }
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }
}
