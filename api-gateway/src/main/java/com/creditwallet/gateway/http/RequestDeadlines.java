package com.creditwallet.gateway.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.server.RouteResults;

/**
 * Answers a request its route has not answered within the node's request timeout
 * ({@code wallet.http.request-timeout}), so no request waits forever whatever a route does.
 *
 * <p>Why not Pekko HTTP's own {@code request-timeout}: it schedules a timer per request, and a
 * second one when a route sets its own timeout answer, as ours must to answer problem+json. A
 * cancelled timer stays in the scheduler's wheel until its time would have come, so at thousands
 * of requests a second hundreds of thousands of them are alive at once: the collector copies and
 * promotes them, and the scheduler's thread walks them. Here a request in flight is one map entry,
 * removed as soon as its route answers, and one periodic {@link #sweep()} answers the late ones.
 */
public final class RequestDeadlines {
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final HttpResponse lateAnswer;
  /** Each unanswered request's answer (a future is its own key: it keeps identity equality) and when it came. */
  private final ConcurrentHashMap<CompletableFuture<RouteResult>, Long> inFlight = new ConcurrentHashMap<>();

  public RequestDeadlines(Duration timeout, HttpResponse lateAnswer, LongSupplier nanoTime) {
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("request timeout must be positive: " + timeout);
    this.timeoutNanos = timeout.toNanos();
    this.lateAnswer = lateAnswer;
    this.nanoTime = nanoTime;
  }

  /**
   * How often to sweep: a tenth of the timeout, so a late request is answered at most a tenth
   * late, but not more often than the scheduler's tick nor less often than once a second.
   */
  public static Duration sweepInterval(Duration timeout) {
    Duration tenth = timeout.dividedBy(10);
    if (tenth.compareTo(Duration.ofMillis(10)) < 0) return Duration.ofMillis(10);
    return tenth.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tenth;
  }

  /**
   * The route's answer, or the late answer if the route has not answered when a sweep finds it
   * past the timeout. A route that has already answered (a rejection, a bad request) is not
   * tracked at all.
   */
  public CompletionStage<RouteResult> guard(CompletionStage<RouteResult> routed) {
    // Not toCompletableFuture(): a stage converted from a Scala future refuses it.
    if (routed instanceof CompletableFuture<RouteResult> done && done.isDone()) return routed;
    CompletableFuture<RouteResult> answer = new CompletableFuture<>();
    inFlight.put(answer, nanoTime.getAsLong());
    routed.whenComplete((result, failure) -> {
      inFlight.remove(answer);
      if (failure != null) answer.completeExceptionally(failure);
      else answer.complete(result);
    });
    return answer;
  }

  /** Answers every tracked request older than the timeout; returns how many it answered. */
  public int sweep() {
    long now = nanoTime.getAsLong();
    int answered = 0;
    for (Map.Entry<CompletableFuture<RouteResult>, Long> e : inFlight.entrySet()) {
      if (now - e.getValue() >= timeoutNanos) {
        inFlight.remove(e.getKey());
        if (e.getKey().complete(RouteResults.complete(lateAnswer))) answered++;
      }
    }
    return answered;
  }

  /** Requests whose routes have not answered yet (for tests and diagnostics). */
  public int inFlight() {
    return inFlight.size();
  }
}
