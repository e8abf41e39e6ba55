package com.creditwallet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The high-volume sender's path, {@code POST /v1/batch}: each user sends one batch of
 * {@code items} reservations of 1 credit spread over {@code wallets} wallets (a random wallet per
 * item), then one batch committing them all. Measures how many spending calls per second the
 * batch path carries (each wallet's items of a batch are persisted together) and its latency.
 * Each batch answer must be 200 with exactly {@code items} results, every one of them 2xx.
 *
 * <p>Parameters ({@code -Dname=value}): the common ones (see loadtest/README.md: baseUrl,
 * adminKey, rate or users, rampUp, duration, p99Ms, setupConcurrency, runId), {@code items} and
 * {@code wallets}; defaults here: {@code items} 1000 (the contract's maximum), {@code wallets} 100,
 * {@code rate} 0.5 users/s (1 batch/s, 1,000 spending calls/s), {@code p99Ms} 2000.
 */
public class BatchSimulation extends Simulation {
  private static final String BASE_URL = Params.baseUrl();
  private static final String ADMIN_KEY = Params.adminKey();
  private static final int ITEMS = Params.intValue("items", 1000, 1, 1000); // the contract's limit per batch
  private static final int WALLETS = Params.intValue("wallets", 100, 1);
  private static final double RATE = Params.doubleValue("rate", 0.5, 0.01);
  private static final int USERS = Params.intValue("users", 0, 0);
  private static final int RAMP_UP = Params.intValue("rampUp", 10, 0);
  private static final int DURATION = Params.intValue("duration", 60, 1);
  private static final int P99_MS = Params.intValue("p99Ms", 2000, 1);
  private static final int SETUP_CONCURRENCY = Params.intValue("setupConcurrency", 32, 1);
  private static final String RUN_ID = Params.runId();
  private static final String CATEGORY = "sms";
  private static final List<String> WALLET_IDS = WalletSetup.walletIds(RUN_ID + "-w-", WALLETS);
  private static final AtomicLong BATCHES = new AtomicLong();

  private static final ScenarioBuilder BATCH = scenario("batch: " + ITEMS + " reserves, then their commits")
      .exec(BatchSimulation::newBatches)
      .exec(http("batch reserve")
          .post("/v1/batch")
          .body(StringBody(session -> session.getString("reserveBatch")))
          .check(status().is(200))
          .check(allItems2xx()))
      .exec(http("batch commit")
          .post("/v1/batch")
          .body(StringBody(session -> session.getString("commitBatch")))
          .check(status().is(200))
          .check(allItems2xx()));

  {
    setUp(WalletHttp.inject(BATCH, RATE, USERS, RAMP_UP, DURATION))
        .protocols(WalletHttp.protocol(BASE_URL, ADMIN_KEY))
        .maxDuration(RAMP_UP + DURATION + 120L)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS));
  }

  /**
   * Exactly ITEMS results, and the list of statuses outside 2xx is empty (a failure shows the
   * offending statuses, e.g. [409, 503]).
   */
  private static io.gatling.javaapi.core.CheckBuilder[] allItems2xx() {
    return new io.gatling.javaapi.core.CheckBuilder[] {
        jsonPath("$.results[*].status").ofInt().count().is(ITEMS),
        jsonPath("$.results[*].status").ofInt().findAll()
            .transform(statuses -> statuses.stream().filter(s -> s < 200 || s > 299).distinct().toList())
            .is(List.of())
    };
  }

  /** Both bodies of this user: ITEMS reserves (random wallets), then the commits of the same ids. */
  private static Session newBatches(Session session) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String prefix = RUN_ID + "-b" + BATCHES.incrementAndGet() + "-";
    StringBuilder reserve = new StringBuilder(ITEMS * 130).append("{\"requests\":[");
    StringBuilder commit = new StringBuilder(ITEMS * 90).append("{\"requests\":[");
    for (int i = 0; i < ITEMS; i++) {
      String wallet = WALLET_IDS.get(random.nextInt(WALLETS));
      String rid = prefix + i;
      if (i > 0) {
        reserve.append(',');
        commit.append(',');
      }
      reserve.append("{\"walletId\":\"").append(wallet).append("\",\"op\":\"reserve\",\"body\":{\"reservationId\":\"")
          .append(rid).append("\",\"lines\":[{\"category\":\"").append(CATEGORY).append("\",\"amount\":1}]}}");
      commit.append("{\"walletId\":\"").append(wallet).append("\",\"op\":\"commit\",\"body\":{\"reservationId\":\"")
          .append(rid).append("\"}}");
    }
    return session
        .set("reserveBatch", reserve.append("]}").toString())
        .set("commitBatch", commit.append("]}").toString());
  }


  @Override
  public void before() {
    System.out.printf("[loadtest] BatchSimulation run %s on %s: %d items per batch over %d wallets, %s%n",
        RUN_ID, BASE_URL, ITEMS, WALLETS, WalletHttp.describe(RATE, USERS, RAMP_UP, DURATION, P99_MS));
    new WalletSetup(BASE_URL, ADMIN_KEY, SETUP_CONCURRENCY)
        .createFunded(WALLET_IDS, CATEGORY, WalletSetup.MAX_GRANT, RUN_ID + "-fund");
  }
}
