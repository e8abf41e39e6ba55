package com.creditwallet.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {
  private final SnapshotPolicy policy = new SnapshotPolicy(500);

  @Test
  void smallWalletsSnapshotEveryInterval() {
    assertFalse(policy.due(499, 10));
    assertTrue(policy.due(500, 10));
  }

  @Test
  void largeStatesWaitAsManyEventsAsTheyHaveEntries() {
    assertFalse(policy.due(500, 30_000));
    assertFalse(policy.due(29_999, 30_000));
    assertTrue(policy.due(30_000, 30_000));
  }

  @Test
  void theIntervalMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(0));
  }
}
