package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.Instant;

/**
 * The wallet's current plan and cycle. {@code anchor} is the subscription instant every cycle end
 * is counted from; {@code cycleNumber} counts cycles over the wallet's whole life (it makes plan
 * grant ids unique), {@code cycleIndex} within this subscription.
 */
public record Subscription(
    Plan plan,
    Instant anchor,
    long cycleNumber,
    long cycleIndex,
    Instant cycleStart,
    Instant cycleEnd,
    Instant trialEndsAt,
    boolean trialEnded)
    implements CborSerializable {

  public Subscription nextCycle(Instant start, Instant end) {
    return new Subscription(plan, anchor, cycleNumber + 1, cycleIndex + 1, start, end, trialEndsAt, trialEnded);
  }

  public Subscription endTrial() {
    return new Subscription(plan, anchor, cycleNumber, cycleIndex, cycleStart, cycleEnd, trialEndsAt, true);
  }

  /** The trial deadline still to come, if any. */
  public Instant pendingTrialEnd() {
    return trialEnded ? null : trialEndsAt;
  }
}
