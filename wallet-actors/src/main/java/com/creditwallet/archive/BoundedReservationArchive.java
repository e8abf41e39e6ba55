package com.creditwallet.archive;

import com.creditwallet.flow.TaskLimiter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;

/**
 * An archive whose stores run a bounded number at a time per node; the others wait their turn,
 * in order, and make their rows only when it comes. Reads are never held back.
 *
 * <p>Why: archiving is background work, and it comes in waves. A node restarted after a million
 * holds fell due expired them all within minutes; ten minutes later (the recent window) its
 * thousand wallets each archived about a thousand reservations at once, 8 statements each, and
 * those rows queued in Cassandra ahead of every client's journal write. With stores taking turns
 * the archive drains at the pace Cassandra takes without starving the writes clients wait for: in
 * a smaller wave, ordinary reservations kept 905/s at their lowest with the bound and fell to
 * 186/s without it (docs/performance.md, "A million holds due at a restart"). A waiting wallet
 * holds its reservations, not a second encoded copy of them.
 */
public final class BoundedReservationArchive implements ReservationArchive {
  private final ReservationArchive archive;
  private final TaskLimiter stores;

  /** {@code stores}: the node's bound on stores in flight ({@code wallet.archive.max-stores-in-flight}). */
  public BoundedReservationArchive(ReservationArchive archive, TaskLimiter stores) {
    this.archive = archive;
    this.stores = stores;
  }

  @Override
  public CompletionStage<Done> store(String walletId, List<Row> rows) {
    return stores.submit(() -> archive.store(walletId, rows));
  }

  @Override
  public CompletionStage<Done> storeInTurn(String walletId, Supplier<List<Row>> rows) {
    return stores.submit(() -> archive.store(walletId, rows.get()));
  }

  @Override
  public CompletionStage<Map<String, byte[]>> find(String walletId, Collection<String> reservationIds) {
    return archive.find(walletId, reservationIds);
  }
}
