package com.creditwallet.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Turns for asks: bounded, in arrival order, and a late one fails without a turn. */
class AdmissionTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  private static Throwable failureOf(CompletableFuture<Void> f) {
    return assertThrows(CompletionException.class, f::join).getCause();
  }

  @Test
  void turnsUpToTheBoundAreImmediateAndTheRestWaitInArrivalOrder() {
    Admission admission = new Admission(2);
    assertTrue(admission.acquire(LONG).isDone());
    assertTrue(admission.acquire(LONG).isDone());
    CompletableFuture<Void> third = admission.acquire(LONG);
    CompletableFuture<Void> fourth = admission.acquire(LONG);
    assertFalse(third.isDone());
    assertFalse(fourth.isDone());
    assertEquals(2, admission.inFlight());

    admission.release();
    assertTrue(third.isDone() && !third.isCompletedExceptionally(), "the oldest waiter gets the freed turn");
    assertFalse(fourth.isDone());
    assertEquals(2, admission.inFlight(), "a handed-over turn stays counted");

    admission.release();
    assertTrue(fourth.isDone() && !fourth.isCompletedExceptionally());
    admission.release();
    admission.release();
    assertEquals(0, admission.inFlight());
    assertTrue(admission.acquire(Duration.ZERO).isDone(), "free turns need no waiting");
  }

  @Test
  void noWaitWhenBusyFailsAtOnce() {
    Admission admission = new Admission(1);
    admission.acquire(LONG);
    CompletableFuture<Void> late = admission.acquire(Duration.ZERO);
    assertInstanceOf(Admission.Busy.class, failureOf(late));
    assertEquals(1, admission.inFlight());
  }

  @Test
  void aWaiterThatGaveUpIsSkippedAndItsTurnGoesToTheNextOrIsFreed() {
    Admission admission = new Admission(1);
    admission.acquire(LONG);
    CompletableFuture<Void> impatient = admission.acquire(Duration.ofMillis(20));
    CompletableFuture<Void> patient = admission.acquire(LONG);
    // Waits for the waiter's own deadline (the future completes by itself; no sleep).
    assertInstanceOf(Admission.Busy.class, failureOf(impatient));

    admission.release();
    assertTrue(patient.isDone() && !patient.isCompletedExceptionally(), "the turn skips the one that gave up");
    CompletableFuture<Void> gaveUp = admission.acquire(Duration.ofMillis(20));
    assertInstanceOf(Admission.Busy.class, failureOf(gaveUp));
    admission.release();
    assertEquals(0, admission.inFlight(), "with only a given-up waiter left, the turn is freed");
    assertTrue(admission.acquire(Duration.ZERO).isDone());
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Admission(0));
  }
}
