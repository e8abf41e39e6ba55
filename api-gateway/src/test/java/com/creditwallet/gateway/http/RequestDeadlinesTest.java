package com.creditwallet.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.server.RouteResults;
import org.junit.jupiter.api.Test;

/** The request timeout's rules, on a clock the test moves. */
class RequestDeadlinesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private final AtomicLong now = new AtomicLong(1_000);
  private final RequestDeadlines deadlines = new RequestDeadlines(TIMEOUT, Problems.timedOut(), now::get);

  @Test
  void aLateRouteIsAnswered503AtItsDeadlineNotBefore() throws Exception {
    CompletableFuture<RouteResult> routed = new CompletableFuture<>();
    CompletableFuture<RouteResult> answer = deadlines.guard(routed).toCompletableFuture();

    now.addAndGet(TIMEOUT.toNanos() - 1);
    assertEquals(0, deadlines.sweep());
    assertFalse(answer.isDone());

    now.addAndGet(1);
    assertEquals(1, deadlines.sweep());
    assertEquals(503, ((Complete) answer.get()).getResponse().status().intValue());
    assertEquals(0, deadlines.inFlight(), "an answered request is no longer tracked");

    routed.complete(RouteResults.complete(HttpResponse.create()));
    assertEquals(503, ((Complete) answer.get()).getResponse().status().intValue(), "the late route's answer is dropped");
  }

  @Test
  void aRouteThatAnswersInTimeKeepsItsAnswerAndLeavesNothingBehind() throws Exception {
    CompletableFuture<RouteResult> routed = new CompletableFuture<>();
    CompletionStage<RouteResult> answer = deadlines.guard(routed);
    assertEquals(1, deadlines.inFlight());

    RouteResult ok = RouteResults.complete(HttpResponse.create().withStatus(201));
    routed.complete(ok);
    assertSame(ok, answer.toCompletableFuture().get());
    assertEquals(0, deadlines.inFlight());

    now.addAndGet(TIMEOUT.toNanos() * 2);
    assertEquals(0, deadlines.sweep());
  }

  @Test
  void aFailedRouteStaysFailedForTheExceptionHandler() {
    CompletableFuture<RouteResult> routed = new CompletableFuture<>();
    CompletionStage<RouteResult> answer = deadlines.guard(routed);
    routed.completeExceptionally(new IllegalStateException("boom"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> answer.toCompletableFuture().get());
    assertTrue(e.getCause() instanceof IllegalStateException);
    assertEquals(0, deadlines.inFlight());
  }

  @Test
  void aRouteThatHasAlreadyAnsweredIsNotTracked() {
    CompletableFuture<RouteResult> done = CompletableFuture.completedFuture(RouteResults.complete(HttpResponse.create()));
    assertSame(done, deadlines.guard(done));
    assertEquals(0, deadlines.inFlight());
  }

  @Test
  void onlyThePastDueAreAnswered() {
    CompletableFuture<RouteResult> early = deadlines.guard(new CompletableFuture<>()).toCompletableFuture();
    now.addAndGet(TIMEOUT.toNanos() / 2);
    CompletableFuture<RouteResult> later = deadlines.guard(new CompletableFuture<>()).toCompletableFuture();
    now.addAndGet(TIMEOUT.toNanos() / 2);
    assertEquals(1, deadlines.sweep());
    assertTrue(early.isDone());
    assertFalse(later.isDone());
    assertEquals(1, deadlines.inFlight());
  }

  @Test
  void sweepsATenthOfTheTimeoutApartWithinTheSchedulersTickAndASecond() {
    assertEquals(Duration.ofSeconds(1), RequestDeadlines.sweepInterval(Duration.ofSeconds(20)));
    assertEquals(Duration.ofMillis(500), RequestDeadlines.sweepInterval(Duration.ofSeconds(5)));
    assertEquals(Duration.ofMillis(10), RequestDeadlines.sweepInterval(Duration.ofMillis(1)));
  }

  @Test
  void aTimeoutMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new RequestDeadlines(Duration.ZERO, Problems.timedOut(), now::get));
  }
}
