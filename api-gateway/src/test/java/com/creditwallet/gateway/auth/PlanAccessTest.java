package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.creditwallet.gateway.auth.PlanAccess.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PlanAccessTest {
  private final AtomicLong now = new AtomicLong();
  private final List<CompletableFuture<Answer>> asks = new ArrayList<>();
  private final PlanAccess access = new PlanAccess(w -> {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    asks.add(f);
    return f;
  }, Duration.ofSeconds(5), now::get);

  @Test
  void oneAskPerWalletPerTtl() {
    CompletionStage<Answer> a = access.check("acme");
    CompletionStage<Answer> b = access.check("acme");
    assertSame(a, b, "concurrent checks share one ask");
    assertEquals(1, asks.size());
    asks.get(0).complete(Answer.NOT_IN_PLAN);
    assertEquals(Answer.NOT_IN_PLAN, a.toCompletableFuture().join());
    assertEquals(Answer.NOT_IN_PLAN, access.cached("acme"));
    now.addAndGet(Duration.ofMillis(4999).toNanos());
    assertEquals(Answer.NOT_IN_PLAN, access.check("acme").toCompletableFuture().join());
    assertEquals(1, asks.size());
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertNull(access.cached("acme"), "a plan change is seen within the ttl");
    access.check("acme");
    assertEquals(2, asks.size());
  }

  @Test
  void aWalletThatDidNotAnswerIsAskedAgain() {
    CompletionStage<Answer> a = access.check("acme");
    asks.get(0).completeExceptionally(new java.util.concurrent.TimeoutException());
    assertEquals(Answer.UNAVAILABLE, a.toCompletableFuture().join());
    assertNull(access.cached("acme"));
    access.check("acme");
    assertEquals(2, asks.size());
  }
}
