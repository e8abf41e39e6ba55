package com.creditwallet.wallet;

import com.creditwallet.wallet.domain.WalletEvent;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a wallet hands its events to the read side (ledger, usage, notifications): each wallet in
 * memory has one feed actor on its node and tells it every write right after the write is
 * durable, so the read side is one step behind the wallet instead of polling the journal for it.
 *
 * <p>The protocol keeps every event reaching the read side even across crashes:
 * <ul>
 *   <li>{@link Open}: the feed first records durably that this wallet is being fed (a mark), then
 *       answers; the wallet writes nothing before that answer. It then catches up from the
 *       journal on whatever an earlier incarnation persisted but did not project.
 *   <li>{@link Persisted}: the events of one journal write and the sequence number of the first.
 *   <li>{@link Close}: answered once everything told is projected and the mark is removed; the
 *       wallet stops only after that answer. A node that dies leaves its marks behind, and a
 *       sweeper wakes those wallets elsewhere, whose new feed catches up.
 * </ul>
 * The feed is not the wallet's child: it watches the wallet, and a wallet that stops without
 * closing (a failed journal write stops it) leaves a feed that reads the journal to its end,
 * projects what it finds, removes the mark and only then stops. A new incarnation on the same
 * node attaches to that same feed, so a wallet never has two feeds on one node.
 * The wallet's tests run without a read side: {@link #NONE}.
 */
@FunctionalInterface
public interface LedgerFeed {
  /** No read side: the wallet neither waits for a mark nor tells anyone its events. */
  LedgerFeed NONE = walletId -> {
    throw new IllegalStateException("no ledger feed");
  };

  /** The feed of {@code walletId} on this node: the one still finishing for it, or a new one. */
  ActorRef<Message> attach(String walletId);

  /** What a wallet tells its feed. */
  sealed interface Message {}

  /**
   * Mark the wallet as fed, answer, then catch up to {@code lastSeq} (where recovery ended).
   * {@code wallet} is the wallet actor, which the feed watches.
   */
  record Open(long lastSeq, ActorRef<?> wallet, ActorRef<Opened> replyTo) implements Message {}

  /** One durable journal write: its events, the first with sequence number {@code firstSeq}. */
  record Persisted(long firstSeq, List<WalletEvent> events) implements Message {}

  /** Project everything told, remove the mark, then answer. */
  record Close(ActorRef<Closed> replyTo) implements Message {}

  /** The mark is written: the wallet may write events. */
  enum Opened { INSTANCE }

  /** Everything is projected and the mark is gone: the wallet may stop. */
  enum Closed { INSTANCE }
}
