package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a free feed waits for more of a wallet's events before it writes them. */
class WalletFeedLingerTest {
  private static final WalletFeed.Settings LINGER_1S = settings(Duration.ofSeconds(1));

  private static WalletFeed.Settings settings(Duration linger) {
    return new WalletFeed.Settings(10, 100, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(2),
        linger);
  }

  @Test
  void aGroupWaitsUntilItsOldestEventIsLingerOld() {
    assertEquals(1000, WalletFeed.lingerMillis(LINGER_1S, 1, 5_000, 5_000, false));
    assertEquals(300, WalletFeed.lingerMillis(LINGER_1S, 3, 5_000, 5_700, false));
    assertEquals(-200, WalletFeed.lingerMillis(LINGER_1S, 3, 5_000, 6_200, false), "overdue: written now");
  }

  @Test
  void noLingerFullGroupsAndStoppingWalletsNeverWait() {
    assertEquals(0, WalletFeed.lingerMillis(settings(Duration.ZERO), 1, 5_000, 5_000, false));
    assertEquals(0, WalletFeed.lingerMillis(LINGER_1S, 10, 5_000, 5_000, false), "max-group (10 here) reached");
    WalletFeed.Settings large = new WalletFeed.Settings(1000, 5000, Duration.ofMillis(200), Duration.ofSeconds(10),
        Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertEquals(1000, WalletFeed.lingerMillis(large, WalletFeed.LINGER_ENOUGH - 1, 5_000, 5_000, false));
    assertEquals(0, WalletFeed.lingerMillis(large, WalletFeed.LINGER_ENOUGH, 5_000, 5_000, false),
        "a hot wallet's group is large enough at once");
    assertEquals(0, WalletFeed.lingerMillis(LINGER_1S, 1, 5_000, 5_000, true), "closing or orphaned");
  }
}
