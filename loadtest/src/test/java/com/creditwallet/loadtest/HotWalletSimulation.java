package com.creditwallet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every request on ONE wallet: a reservation of 1 credit (a unique reservationId each), then its
 * commit. Measures the ceiling of a single wallet, where all requests queue for one entity and its
 * journal writes (the worst case for an event-sourced wallet: one big sender).
 *
 * <p>Parameters ({@code -Dname=value}): the common ones (see loadtest/README.md: baseUrl,
 * adminKey, rate or users, rampUp, duration, p99Ms, setupConcurrency, runId); defaults here:
 * {@code rate} 25 users/s (2 requests each), {@code p99Ms} 1000.
 */
public class HotWalletSimulation extends Simulation {
  private static final String BASE_URL = Params.baseUrl();
  private static final String ADMIN_KEY = Params.adminKey();
  private static final double RATE = Params.doubleValue("rate", 25, 0.01);
  private static final int USERS = Params.intValue("users", 0, 0);
  private static final int RAMP_UP = Params.intValue("rampUp", 10, 0);
  private static final int DURATION = Params.intValue("duration", 60, 1);
  private static final int P99_MS = Params.intValue("p99Ms", 1000, 1);
  private static final int SETUP_CONCURRENCY = Params.intValue("setupConcurrency", 32, 1);
  private static final String RUN_ID = Params.runId();
  private static final String CATEGORY = "sms";
  private static final String WALLET = RUN_ID + "-hot";
  private static final AtomicLong RESERVATIONS = new AtomicLong();

  private static final ScenarioBuilder HOT = scenario("hot wallet: reserve 1, commit")
      .exec(session -> session
          .set("wallet", WALLET)
          .set("rid", RUN_ID + "-r-" + RESERVATIONS.incrementAndGet()))
      .exec(WalletHttp.reserveOneAndCommit(CATEGORY));

  {
    setUp(WalletHttp.inject(HOT, RATE, USERS, RAMP_UP, DURATION))
        .protocols(WalletHttp.protocol(BASE_URL, ADMIN_KEY))
        .maxDuration(RAMP_UP + DURATION + 120L)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS));
  }

  @Override
  public void before() {
    System.out.printf("[loadtest] HotWalletSimulation run %s on %s: wallet %s, %s%n",
        RUN_ID, BASE_URL, WALLET, WalletHttp.describe(RATE, USERS, RAMP_UP, DURATION, P99_MS));
    new WalletSetup(BASE_URL, ADMIN_KEY, SETUP_CONCURRENCY)
        .createFunded(List.of(WALLET), CATEGORY, WalletSetup.MAX_GRANT, RUN_ID + "-fund");
  }
}
