package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every duration and instant a client sends is bounded; outside the bounds the answer is
 * INVALID_REQUEST naming the field, and nothing overflows on the way (the issue's
 * {@code P999999999Y} cycle, trial and validFor, and a grant expiring in the year +999999999).
 */
class TimeLimitsTest {
  private static final Instant T0 = Instant.parse("2027-03-01T10:00:00Z");

  private static void assertInvalid(String field, Runnable check) {
    Rejection r = assertThrows(Rejection.class, check::run);
    assertEquals(Rejection.INVALID_REQUEST, r.code(), r::getMessage);
    assertEquals(field, r.extras().get("field"), r::getMessage);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT1S", "PT30S", "P1D", "P30D", "P1M", "P1Y", "P10Y", "P120M", "P3652D", "P9Y11M30D"})
  void cyclesFromOneSecondToTenYearsAreValid(String cycle) {
    assertDoesNotThrow(() -> TimeLimits.requireCycle("cycle", cycle));
  }

  @ParameterizedTest
  @ValueSource(strings = {"monthly", "", "P0D", "PT0.5S", "P-1M", "P1M-40D", "PT-5S", "P11Y", "P121M", "P3653D",
      "P999999999Y", "PT87660H1S", "P2147483647D", "PT9999999999999999999H"})
  void otherCyclesAreRejectedNamingTheField(String cycle) {
    assertInvalid("cycle", () -> TimeLimits.requireCycle("cycle", cycle));
  }

  @Test
  void trialsAreAtMostOneYear() {
    for (String ok : List.of("PT1S", "P14D", "P12M", "P1Y", "P365D")) {
      assertDoesNotThrow(() -> TimeLimits.requireTrial("trial.duration", ok), ok);
    }
    for (String bad : List.of("P1Y1D", "P13M", "P999999999Y", "P0D", "soon")) {
      assertInvalid("trial.duration", () -> TimeLimits.requireTrial("trial.duration", bad));
    }
  }

  private static GrantRequest grant(Instant expiresAt, LocalDate expiresOn, String validFor) {
    return new GrantRequest("g-1", "sms", 10, GrantSource.PACKAGE, expiresAt, expiresOn, validFor, 0, false);
  }

  private static Instant expiry(GrantRequest r) {
    return GrantRules.resolveExpiry(r, java.time.ZoneId.of("Europe/Rome"), T0);
  }

  @Test
  void grantExpiriesAreAtMostAHundredYearsAhead() {
    assertEquals(T0.atZone(java.time.ZoneId.of("Europe/Rome")).plusYears(100).toInstant(), expiry(grant(null, null, "P100Y")));
    assertEquals(T0.plus(Duration.ofHours(1)), expiry(grant(null, null, "PT1H")));
    Instant limit = T0.atZone(java.time.ZoneId.of("Europe/Rome")).plusYears(100).toInstant();
    assertEquals(limit, expiry(grant(limit, null, null)));
    LocalDate lastDay = LocalDate.of(2127, 3, 1);
    assertEquals(LocalDate.of(2127, 3, 2).atStartOfDay(java.time.ZoneId.of("Europe/Rome")).toInstant(),
        expiry(grant(null, lastDay, null)));
    assertEquals(LocalDate.of(2027, 3, 2).atStartOfDay(java.time.ZoneId.of("Europe/Rome")).toInstant(),
        expiry(grant(null, LocalDate.of(2027, 3, 1), null)), "expiring at the end of today is in the future");

    assertInvalid("validFor", () -> expiry(grant(null, null, "P99999999D")));
    assertInvalid("validFor", () -> expiry(grant(null, null, "P100Y1D")));
    assertInvalid("validFor", () -> expiry(grant(null, null, "P999999999Y")));
    assertInvalid("validFor", () -> expiry(grant(null, null, "P0D")));
    assertInvalid("validFor", () -> expiry(grant(null, null, "P-2Y")));
    assertInvalid("validFor", () -> expiry(grant(null, null, "two years")));
    assertInvalid("expiresAt", () -> expiry(grant(limit.plusMillis(1), null, null)));
    assertInvalid("expiresAt", () -> expiry(grant(Instant.MAX, null, null)));
    assertInvalid("expiresAt", () -> expiry(grant(T0, null, null)));
    assertInvalid("expiresOn", () -> expiry(grant(null, lastDay.plusDays(1), null)));
    assertInvalid("expiresOn", () -> expiry(grant(null, LocalDate.MAX, null)));
    assertInvalid("expiresOn", () -> expiry(grant(null, LocalDate.MIN, null)));
    assertInvalid("expiresOn", () -> expiry(grant(null, LocalDate.of(2027, 2, 28), null)));
  }

  @Test
  void aPlanStoredBeforeTheLimitsIsRefusedAtSubscriptionNotOverflowed() {
    RulesDriver driver = new RulesDriver(T0);
    driver.step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(null, null, null, null), T0));
    Plan absurd = new Plan("forever", Map.of("sms", 10L), List.of(), "P999999999Y", Map.of(), null, Map.of());
    assertInvalid("cycle", () -> PlanRules.subscribe(new Decision(driver.state, WalletPolicy.DEFAULTS), absurd, T0));
    Plan longTrial = new Plan("t", Map.of("sms", 10L), List.of(), "P1M", Map.of(),
        new Plan.Trial("P999999999Y", Map.of("sms", 5L)), Map.of());
    assertInvalid("trial.duration",
        () -> PlanRules.subscribe(new Decision(driver.state, WalletPolicy.DEFAULTS), longTrial, T0));
    assertTrue(driver.state.subscription() == null);
  }
}
