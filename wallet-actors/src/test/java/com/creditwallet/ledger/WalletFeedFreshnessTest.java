package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which events of a feed's group may skip the notifier's once-only claim: only those told by the
 * wallet and never in a write before. A retried group (its first write failed, and may have
 * landed in part) must claim again, or a notification could be recorded twice.
 */
class WalletFeedFreshnessTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private static LedgerWriter.Fed told(long seq) {
    return new LedgerWriter.Fed(seq, Events.configured(T0, "UTC", Map.of()), T0.toEpochMilli(), true);
  }

  private static List<Boolean> freshness(List<LedgerWriter.Fed> group) {
    return group.stream().map(LedgerWriter.Fed::fresh).toList();
  }

  @Test
  void eventsNeverWrittenStayFresh() {
    assertEquals(List.of(true, true), freshness(WalletFeed.freshAfter(List.of(told(5), told(6)), 4)));
  }

  @Test
  void eventsOfAnEarlierAttemptAreNotFreshAnyMore() {
    // Events 5 and 6 were in a write that failed; 7 arrived since.
    assertEquals(List.of(false, false, true), freshness(WalletFeed.freshAfter(List.of(told(5), told(6), told(7)), 6)));
  }

  @Test
  void eventsReadBackFromTheJournalAreNeverFresh() {
    LedgerWriter.Fed read = new LedgerWriter.Fed(9, told(9).event(), T0.toEpochMilli());
    assertEquals(List.of(false), freshness(WalletFeed.freshAfter(List.of(read), 0)));
  }
}
