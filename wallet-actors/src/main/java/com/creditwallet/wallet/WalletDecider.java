package com.creditwallet.wallet;

import com.creditwallet.wallet.WalletEntity.Asking;
import com.creditwallet.wallet.WalletEntity.Batch;
import com.creditwallet.wallet.WalletEntity.BatchItem;
import com.creditwallet.wallet.WalletEntity.BatchResult;
import com.creditwallet.wallet.WalletEntity.BatchResults;
import com.creditwallet.wallet.WalletEntity.Command;
import com.creditwallet.wallet.WalletEntity.Commit;
import com.creditwallet.wallet.WalletEntity.CommitItem;
import com.creditwallet.wallet.WalletEntity.Configure;
import com.creditwallet.wallet.WalletEntity.ConfigureSubBudget;
import com.creditwallet.wallet.WalletEntity.EstimateCost;
import com.creditwallet.wallet.WalletEntity.GetAudit;
import com.creditwallet.wallet.WalletEntity.GetReservation;
import com.creditwallet.wallet.WalletEntity.GetWallet;
import com.creditwallet.wallet.WalletEntity.IssueGrant;
import com.creditwallet.wallet.WalletEntity.RefundItem;
import com.creditwallet.wallet.WalletEntity.Refund;
import com.creditwallet.wallet.WalletEntity.Release;
import com.creditwallet.wallet.WalletEntity.ReleaseItem;
import com.creditwallet.wallet.WalletEntity.Reserve;
import com.creditwallet.wallet.WalletEntity.ReserveItem;
import com.creditwallet.wallet.WalletEntity.Subscribe;
import com.creditwallet.wallet.WalletEntity.WakeUp;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.domain.DeadlineRules;
import com.creditwallet.wallet.domain.Decision;
import com.creditwallet.wallet.domain.GrantIds;
import com.creditwallet.wallet.domain.GrantRules;
import com.creditwallet.wallet.domain.PlanRules;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.ReservationRules;
import com.creditwallet.wallet.domain.SubBudgetRules;
import com.creditwallet.wallet.domain.WalletRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code decide(decision, command, now)}: the one place a command becomes events and an answer.
 * The events go into the {@link Decision} (each folded once); the answer is returned, to be sent
 * only after those events are durable. A rejected command leaves the decision as it found it, and
 * so does an unexpected fault, which answers {@code INTERNAL} instead of stopping the wallet.
 * Replays answer what the first call answered: the view of the reservation "as of" that step
 * ({@link WalletViews#asReserved}, {@link WalletViews#asCommitted}, {@link WalletViews#asRefunded}).
 */
public final class WalletDecider {
  private static final Logger log = LoggerFactory.getLogger(WalletDecider.class);

  private WalletDecider() {}

  /** An answer to send once the decision's events are persisted. */
  public record Answer<M>(ActorRef<M> to, M message) {
    public void send() {
      if (to != null) to.tell(message);
    }
  }

  /** What applying the due deadlines came to. */
  public enum Due {
    /** Everything due is applied: commands may be decided. */
    CAUGHT_UP,
    /** The write is full; more is due: decide no command yet, flush again after this write. */
    MORE_DUE,
    /** A fault in a rule: nothing was applied, and no command can be decided safely now. */
    FAILED
  }

  /**
   * Applies what is due ({@link DeadlineRules#applyDue}) under the same guard as a command: an
   * unexpected fault rolls the decision back and is reported as {@link Due#FAILED} instead of
   * stopping the wallet. Commands must then wait ({@link #failed}): deciding them on a state
   * whose deadlines are not applied could spend credits that have expired.
   */
  public static Due applyDue(Decision d, Instant now, String walletId) {
    int mark = d.size();
    try {
      return DeadlineRules.applyDue(d, now) ? Due.CAUGHT_UP : Due.MORE_DUE;
    } catch (RuntimeException e) {
      d.rollbackTo(mark);
      log.error("wallet {}: applying its due deadlines failed unexpectedly; nothing changed", walletId, e);
      return Due.FAILED;
    }
  }

  /**
   * The answer of a command that could not be decided because the wallet's deadlines could not
   * be applied: INTERNAL (for a batch, for each item); a wake-up is acknowledged, the wallet
   * retries by itself.
   */
  public static Answer<?> failed(Command c) {
    Rejection.Body body = internal().body();
    if (c instanceof Batch b) {
      List<BatchResult> results = new ArrayList<>(b.items().size());
      for (int i = 0; i < b.items().size(); i++) results.add(new BatchResult(null, body));
      return new Answer<>(b.replyTo(), new BatchResults(List.copyOf(results)));
    }
    if (c instanceof WakeUp w) return new Answer<>(w.replyTo(), Done.getInstance());
    return rejected((Asking<?>) c, body);
  }

  private static <T> Answer<Outcome<T>> rejected(Asking<T> c, Rejection.Body body) {
    return new Answer<>(c.replyTo(), Outcome.rejected(body));
  }

  private static Rejection internal() {
    return new Rejection(Rejection.INTERNAL, "the command could not be processed; it changed nothing", Map.of());
  }

  public static Answer<?> decide(Decision d, Command c, Instant now, String walletId) {
    if (c instanceof Batch b) return new Answer<>(b.replyTo(), batch(d, b.items(), now, walletId));
    if (c instanceof WakeUp w) return new Answer<>(w.replyTo(), Done.getInstance());
    return asking(d, (Asking<?>) c, now, walletId);
  }

  private static <T> Answer<Outcome<T>> asking(Decision d, Asking<T> c, Instant now, String walletId) {
    return new Answer<>(c.replyTo(), guarded(d, walletId, () -> {
      @SuppressWarnings("unchecked")
      T value = (T) value(d, c, now, walletId);
      return value;
    }));
  }

  /** Runs one decision step; a rejection or a fault rolls the decision back to where it was. */
  private static <T> Outcome<T> guarded(Decision d, String walletId, Supplier<T> step) {
    int mark = d.size();
    try {
      return Outcome.accepted(step.get());
    } catch (Rejection r) {
      d.rollbackTo(mark);
      return Outcome.rejected(r.body());
    } catch (RuntimeException e) {
      d.rollbackTo(mark);
      log.error("wallet {}: a command failed unexpectedly; it changed nothing", walletId, e);
      return Outcome.rejected(internal().body());
    }
  }

  private static Object value(Decision d, Asking<?> c, Instant now, String walletId) {
    if (c instanceof Configure x) {
      WalletRules.configure(d, x.update(), now);
      // Still at version 1: this PUT created the wallet, or repeats the one that did (201 again).
      return new WalletViews.Configured(d.state().settingsVersion() == 1, WalletViews.wallet(walletId, d.state()));
    }
    requireWallet(d, walletId);
    if (c instanceof GetWallet) return WalletViews.wallet(walletId, d.state());
    if (c instanceof IssueGrant x) {
      GrantRules.issueGrant(d, x.request(), now);
      return WalletViews.grant(d.state().grant(GrantIds.clientKey(x.request().grantId())).orElseThrow());
    }
    if (c instanceof Reserve x) return reserve(d, new ReserveItem(x.request(), x.unitCosts(), x.kind()), now);
    if (c instanceof EstimateCost x) {
      return ReservationRules.estimate(d.state(), x.lines(), x.operation(), x.quantity(), x.unitCosts(), x.subBudget());
    }
    if (c instanceof ConfigureSubBudget x) {
      SubBudgetRules.configureSubBudget(d, x.subBudget(), x.allocated(), now);
      return WalletViews.subBudget(d.state().subBudget(x.subBudget()).orElseThrow());
    }
    if (c instanceof Commit x) return commit(d, new CommitItem(x.reservationId(), x.lines()), now);
    if (c instanceof Release x) return release(d, new ReleaseItem(x.reservationId()), now);
    if (c instanceof Refund x) return refund(d, new RefundItem(x.reservationId(), x.request()), now);
    if (c instanceof GetReservation x) return WalletViews.reservation(d.requireReservation(x.reservationId()));
    if (c instanceof Subscribe x) {
      PlanRules.subscribe(d, x.plan(), now);
      return WalletViews.wallet(walletId, d.state());
    }
    if (c instanceof GetAudit) return WalletViews.audit(d.state());
    throw new IllegalArgumentException("unknown command " + c.getClass().getName());
  }

  private static ReservationView reserve(Decision d, ReserveItem x, Instant now) {
    ReservationRules.reserve(d, x.request(), x.unitCosts(), x.kind(), now);
    return WalletViews.asReserved(d.requireReservation(x.request().id()));
  }

  private static ReservationView commit(Decision d, CommitItem x, Instant now) {
    ReservationRules.commit(d, x.reservationId(), x.lines(), now);
    return WalletViews.asCommitted(d.requireReservation(x.reservationId()));
  }

  private static ReservationView release(Decision d, ReleaseItem x, Instant now) {
    ReservationRules.release(d, x.reservationId(), now);
    return WalletViews.reservation(d.requireReservation(x.reservationId()));
  }

  private static ReservationView refund(Decision d, RefundItem x, Instant now) {
    ReservationRules.refund(d, x.reservationId(), x.request(), now);
    return WalletViews.asRefunded(d.requireReservation(x.reservationId()), x.request().refundId());
  }

  /** Each item exactly as its single call; one item's refusal never touches the others. */
  private static BatchResults batch(Decision d, List<BatchItem> items, Instant now, String walletId) {
    List<BatchResult> results = new ArrayList<>(items.size());
    for (BatchItem item : items) {
      Outcome<ReservationView> o = guarded(d, walletId, () -> {
        requireWallet(d, walletId);
        if (item instanceof ReserveItem x) return reserve(d, x, now);
        if (item instanceof CommitItem x) return commit(d, x, now);
        if (item instanceof ReleaseItem x) return release(d, x, now);
        return refund(d, (RefundItem) item, now);
      });
      results.add(new BatchResult(o.value(), o.rejected()));
    }
    return new BatchResults(List.copyOf(results));
  }

  private static void requireWallet(Decision d, String walletId) {
    if (!d.state().exists()) throw Rejection.walletNotFound(walletId);
  }
}
