package com.creditwallet.archive;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;

/**
 * A map-backed {@link ReservationArchive} for entity unit tests, which have no Cassandra. Tests
 * can make stores fail (with or without the rows landing, as a lost acknowledgement would),
 * count store and find calls (to assert one lookup per group), and forget rows (as the TTL
 * would). Thread-safe; payloads are copied in and out, and every call completes at once.
 */
public final class InMemoryReservationArchive implements ReservationArchive {
  private final Map<String, Map<String, byte[]>> wallets = new ConcurrentHashMap<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger failNextAfterWriting = new AtomicInteger();
  private final AtomicInteger storeCalls = new AtomicInteger();
  private final AtomicInteger findCalls = new AtomicInteger();

  /** The next {@code n} store calls fail and write nothing. */
  public InMemoryReservationArchive failNextStores(int n) {
    failNext.set(n);
    return this;
  }

  /** The next {@code n} store calls write their rows, then fail (the ack was lost: a timeout). */
  public InMemoryReservationArchive failNextStoresAfterWriting(int n) {
    failNextAfterWriting.set(n);
    return this;
  }

  @Override
  public CompletionStage<Done> store(String walletId, List<Row> rows) {
    storeCalls.incrementAndGet();
    if (takeOne(failNext)) {
      return CompletableFuture.failedFuture(new IllegalStateException("injected archive store failure"));
    }
    Map<String, byte[]> wallet = wallets.computeIfAbsent(walletId, w -> new ConcurrentHashMap<>());
    for (Row row : rows) {
      wallet.put(row.reservationId(), row.payload().clone());
    }
    if (takeOne(failNextAfterWriting)) {
      return CompletableFuture.failedFuture(new IllegalStateException("injected archive store failure after writing"));
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Map<String, byte[]>> find(String walletId, Collection<String> reservationIds) {
    findCalls.incrementAndGet();
    Map<String, byte[]> wallet = wallets.getOrDefault(walletId, Map.of());
    Map<String, byte[]> found = new HashMap<>();
    for (String id : reservationIds) {
      byte[] payload = wallet.get(id);
      if (payload != null) {
        found.put(id, payload.clone());
      }
    }
    return CompletableFuture.completedFuture(found);
  }

  /** Forgets one row, as its TTL would; true if it was there. */
  public boolean expire(String walletId, String reservationId) {
    Map<String, byte[]> wallet = wallets.get(walletId);
    return wallet != null && wallet.remove(reservationId) != null;
  }

  /** The archived ids and payloads of a wallet, copied. */
  public Map<String, byte[]> rows(String walletId) {
    Map<String, byte[]> copy = new HashMap<>();
    wallets.getOrDefault(walletId, Map.of()).forEach((id, payload) -> copy.put(id, payload.clone()));
    return copy;
  }

  public int storeCalls() {
    return storeCalls.get();
  }

  public int findCalls() {
    return findCalls.get();
  }

  /** Sets both call counters back to zero. */
  public void resetCounters() {
    storeCalls.set(0);
    findCalls.set(0);
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }
}
