package com.creditwallet.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** At most the limit runs; the others start in order as running ones finish, failed or not. */
class TaskLimiterTest {
  /** Tasks the test finishes by hand, recorded in the order they were started. */
  private final List<CompletableFuture<String>> started = new ArrayList<>();

  private CompletionStage<String> task() {
    CompletableFuture<String> f = new CompletableFuture<>();
    started.add(f);
    return f;
  }

  @Test
  void runsAtMostTheLimitAndStartsTheRestInOrder() throws Exception {
    TaskLimiter limiter = new TaskLimiter(2, Runnable::run);
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) results.add(limiter.submit(this::task).toCompletableFuture());
    assertEquals(2, started.size(), "two run, three wait");
    assertEquals(5, limiter.pending());

    started.get(1).complete("b");
    assertEquals("b", results.get(1).get());
    assertEquals(3, started.size(), "the first waiting task starts when one finishes");
    assertTrue(!results.get(2).isDone());

    started.get(0).completeExceptionally(new IllegalStateException("timed out"));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> results.get(0).get());
    assertEquals("timed out", failed.getCause().getMessage());
    assertEquals(4, started.size(), "a failure frees its place as well");

    started.get(2).complete("c");
    started.get(3).complete("d");
    started.get(4).complete("e");
    assertEquals(List.of("c", "d", "e"), List.of(results.get(2).get(), results.get(3).get(), results.get(4).get()));
    assertEquals(0, limiter.pending());
  }

  @Test
  void aTaskThatThrowsFailsItsResultAndFreesItsPlace() throws Exception {
    TaskLimiter limiter = new TaskLimiter(1, Runnable::run);
    CompletableFuture<String> thrown = limiter.<String>submit(() -> {
      throw new IllegalArgumentException("no such wallet");
    }).toCompletableFuture();
    assertThrows(ExecutionException.class, thrown::get);
    CompletableFuture<String> next = limiter.submit(this::task).toCompletableFuture();
    assertEquals(1, started.size(), "the next task runs at once");
    started.get(0).complete("ok");
    assertEquals("ok", next.get());
  }
}
