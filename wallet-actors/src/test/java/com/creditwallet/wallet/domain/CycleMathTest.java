package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CycleMathTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId ROME = ZoneId.of("Europe/Rome");

  @Test
  void monthlyCyclesAreCountedFromTheAnchorAndClampedToMonthEnd() {
    Instant jan31 = Instant.parse("2027-01-31T10:00:00Z");
    assertEquals(Instant.parse("2027-02-28T10:00:00Z"), CycleMath.cycleEnd(jan31, "P1M", UTC, 0));
    // Counted from the anchor, not from Feb 28: no drift to the 28th.
    assertEquals(Instant.parse("2027-03-31T10:00:00Z"), CycleMath.cycleEnd(jan31, "P1M", UTC, 1));
    assertEquals(Instant.parse("2027-04-30T10:00:00Z"), CycleMath.cycleEnd(jan31, "P1M", UTC, 2));
  }

  @Test
  void leapYears() {
    Instant jan31 = Instant.parse("2028-01-31T00:00:00Z");
    assertEquals(Instant.parse("2028-02-29T00:00:00Z"), CycleMath.cycleEnd(jan31, "P1M", UTC, 0));
    Instant feb29 = Instant.parse("2028-02-29T12:00:00Z");
    assertEquals(Instant.parse("2029-02-28T12:00:00Z"), CycleMath.cycleEnd(feb29, "P1Y", UTC, 0));
    assertEquals(Instant.parse("2032-02-29T12:00:00Z"), CycleMath.cycleEnd(feb29, "P1Y", UTC, 3));
  }

  @Test
  void calendarPeriodsKeepTheLocalTimeAcrossDst() {
    // 10:00 in Rome on 2027-03-10 is 09:00Z (CET); a month later Rome is on CEST, so 08:00Z.
    Instant anchor = Instant.parse("2027-03-10T09:00:00Z");
    assertEquals(Instant.parse("2027-04-10T08:00:00Z"), CycleMath.cycleEnd(anchor, "P1M", ROME, 0));
    assertEquals(Instant.parse("2027-04-09T08:00:00Z"), CycleMath.cycleEnd(anchor, "P30D", ROME, 0));
  }

  @Test
  void durationsAreExact() {
    Instant anchor = Instant.parse("2027-03-27T23:00:00Z");
    assertEquals(Instant.parse("2027-03-28T23:00:00Z"), CycleMath.cycleEnd(anchor, "PT24H", ROME, 0));
    assertEquals(anchor.plusSeconds(30), CycleMath.cycleEnd(anchor, "PT10S", UTC, 2));
  }
}
