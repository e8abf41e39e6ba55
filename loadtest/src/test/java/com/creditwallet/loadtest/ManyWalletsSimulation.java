package com.creditwallet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hot-wallet flow (reserve 1 credit, then commit it) spread over many wallets, a random one
 * per user. Measures the service when the load is spread over many entities (shards, many
 * journal partitions, wallets recovered on first use), the common case of many small senders.
 *
 * <p>Parameters ({@code -Dname=value}): the common ones (see loadtest/README.md: baseUrl,
 * adminKey, rate or users, rampUp, duration, p99Ms, setupConcurrency, runId) and {@code wallets};
 * defaults here: {@code wallets} 10000, {@code rate} 25 users/s (2 requests each),
 * {@code p99Ms} 1000. The wallets are created and funded before the load, in parallel, and not
 * measured.
 */
public class ManyWalletsSimulation extends Simulation {
  private static final String BASE_URL = Params.baseUrl();
  private static final String ADMIN_KEY = Params.adminKey();
  private static final int WALLETS = Params.intValue("wallets", 10_000, 1);
  private static final double RATE = Params.doubleValue("rate", 25, 0.01);
  private static final int USERS = Params.intValue("users", 0, 0);
  private static final int RAMP_UP = Params.intValue("rampUp", 10, 0);
  private static final int DURATION = Params.intValue("duration", 60, 1);
  private static final int P99_MS = Params.intValue("p99Ms", 1000, 1);
  private static final int SETUP_CONCURRENCY = Params.intValue("setupConcurrency", 32, 1);
  private static final String RUN_ID = Params.runId();
  private static final String CATEGORY = "sms";
  private static final List<String> WALLET_IDS = WalletSetup.walletIds(RUN_ID + "-w-", WALLETS);
  private static final AtomicLong RESERVATIONS = new AtomicLong();

  private static final ScenarioBuilder MANY = scenario("many wallets: reserve 1, commit")
      .exec(session -> session
          .set("wallet", WALLET_IDS.get(ThreadLocalRandom.current().nextInt(WALLETS)))
          .set("rid", RUN_ID + "-r-" + RESERVATIONS.incrementAndGet()))
      .exec(WalletHttp.reserveOneAndCommit(CATEGORY));

  {
    setUp(WalletHttp.inject(MANY, RATE, USERS, RAMP_UP, DURATION))
        .protocols(WalletHttp.protocol(BASE_URL, ADMIN_KEY))
        .maxDuration(RAMP_UP + DURATION + 120L)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS));
  }


  @Override
  public void before() {
    System.out.printf("[loadtest] ManyWalletsSimulation run %s on %s: %d wallets, %s%n",
        RUN_ID, BASE_URL, WALLETS, WalletHttp.describe(RATE, USERS, RAMP_UP, DURATION, P99_MS));
    new WalletSetup(BASE_URL, ADMIN_KEY, SETUP_CONCURRENCY)
        .createFunded(WALLET_IDS, CATEGORY, WalletSetup.MAX_GRANT, RUN_ID + "-fund");
  }
}
