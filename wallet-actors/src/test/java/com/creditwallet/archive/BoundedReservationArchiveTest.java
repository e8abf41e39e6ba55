package com.creditwallet.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.archive.ReservationArchive.Row;
import com.creditwallet.flow.TaskLimiter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

/**
 * Stores take turns: at most the node's bound run at once, the rest start in order as they
 * finish, and a waiting store has not made its rows yet. Reads never wait.
 */
class BoundedReservationArchiveTest {
  /** An archive whose stores the test finishes by hand. */
  static final class HeldArchive implements ReservationArchive {
    final List<String> stored = new ArrayList<>();
    final List<CompletableFuture<Done>> pending = new ArrayList<>();
    int finds;

    @Override
    public CompletionStage<Done> store(String walletId, List<Row> rows) {
      stored.add(walletId + ":" + rows.size());
      CompletableFuture<Done> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }

    @Override
    public CompletionStage<Map<String, byte[]>> find(String walletId, Collection<String> reservationIds) {
      finds++;
      return CompletableFuture.completedFuture(Map.of());
    }
  }

  static List<Row> rows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) rows.add(new Row("r-" + i, ("payload " + i).getBytes(StandardCharsets.UTF_8)));
    return rows;
  }

  @Test
  void storesBeyondTheBoundWaitAndMakeTheirRowsOnlyWhenTheirTurnComes() throws Exception {
    HeldArchive inner = new HeldArchive();
    BoundedReservationArchive archive = new BoundedReservationArchive(inner, new TaskLimiter(2, Runnable::run));
    AtomicInteger made = new AtomicInteger();
    List<CompletableFuture<Done>> results = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int size = w + 1;
      results.add(archive.storeInTurn("w-" + w, () -> {
        made.incrementAndGet();
        return rows(size);
      }).toCompletableFuture());
    }
    assertEquals(List.of("w-0:1", "w-1:2"), inner.stored, "two stores run");
    assertEquals(2, made.get(), "the waiting ones have not made their rows");

    inner.pending.get(1).complete(Done.getInstance());
    assertTrue(results.get(1).isDone());
    assertEquals(List.of("w-0:1", "w-1:2", "w-2:3"), inner.stored, "the oldest waiting store starts");
    assertEquals(3, made.get());

    inner.pending.get(0).completeExceptionally(new IllegalStateException("write timed out"));
    assertTrue(results.get(0).isCompletedExceptionally(), "a failed store fails for its wallet");
    assertEquals(List.of("w-0:1", "w-1:2", "w-2:3", "w-3:4"), inner.stored, "and frees its turn");

    assertFalse(results.get(3).isDone());
    inner.pending.get(2).complete(Done.getInstance());
    inner.pending.get(3).complete(Done.getInstance());
    assertEquals(Done.getInstance(), results.get(3).get());
  }

  @Test
  void plainStoresTakeTurnsTooAndReadsNeverWait() throws Exception {
    HeldArchive inner = new HeldArchive();
    BoundedReservationArchive archive = new BoundedReservationArchive(inner, new TaskLimiter(1, Runnable::run));
    CompletableFuture<Done> first = archive.store("w-a", rows(1)).toCompletableFuture();
    CompletableFuture<Done> second = archive.store("w-b", rows(1)).toCompletableFuture();
    assertEquals(List.of("w-a:1"), inner.stored);

    assertEquals(Map.of(), archive.find("w-a", List.of("r-0")).toCompletableFuture().get());
    assertEquals(1, inner.finds, "a read passes while a store runs");

    inner.pending.get(0).complete(Done.getInstance());
    assertTrue(first.isDone());
    assertEquals(List.of("w-a:1", "w-b:1"), inner.stored);
    inner.pending.get(1).complete(Done.getInstance());
    assertEquals(Done.getInstance(), second.get());
  }
}
