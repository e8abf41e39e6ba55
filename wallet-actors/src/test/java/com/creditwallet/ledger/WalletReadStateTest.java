package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalletReadStateTest {
  private static final Instant LATE_EVENING_UTC = Instant.parse("2026-03-01T23:30:00Z");

  @Test
  void countsDaysInTheWalletsZone() {
    WalletReadState tokyo = WalletReadState.NEW.withSettings("Asia/Tokyo", Map.of());
    assertEquals(ZoneId.of("Asia/Tokyo"), tokyo.zone());
    assertEquals(LocalDate.of(2026, 3, 2), LATE_EVENING_UTC.atZone(tokyo.zone()).toLocalDate());
    // Asked on every event: the same zone comes back without resolving the name again.
    assertSame(tokyo.zone(), tokyo.withWatermark(7).zone());
  }

  @Test
  void aNameThatIsNoZoneCountsInUtc() {
    for (String name : new String[] {"Not/AZone", "", "+99:00"}) {
      WalletReadState odd = WalletReadState.NEW.withSettings(name, Map.of());
      assertEquals(LocalDate.of(2026, 3, 1), LATE_EVENING_UTC.atZone(odd.zone()).toLocalDate(), name);
      assertEquals(LocalDate.of(2026, 3, 1), LATE_EVENING_UTC.atZone(odd.zone()).toLocalDate(), name + ", again");
    }
    assertEquals(LocalDate.of(2026, 3, 1), LATE_EVENING_UTC.atZone(WalletReadState.NEW.zone()).toLocalDate());
  }
}
