package com.creditwallet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Email broadcasts as seed 002 describes them (credits reserved when the contacts are uploaded to a
 * campaign, spent once the email is sent, returned for contacts removed before sending, for a
 * cancelled campaign and for a bounced first email). Measures the mixed reserve / partial commit /
 * refund / release traffic of many accounts sending campaigns at once.
 *
 * <p>One virtual user is one broadcast of {@code recipients} emails on a random account (wallet):
 * <ol>
 *   <li>Upload: the recipients are reserved in parts of {@code partSize}, one reservation each
 *       ({@code allowPartial: true}: an account short of credits gets fewer contacts uploaded, as
 *       in the seed; the amount held is read from the answer), all with the campaign as
 *       {@code reference}, TTL 1 h.</li>
 *   <li>A pause of 1 s (the campaign starts), then part after part, {@code sendPauseMs} apart (the
 *       part's emails going out):
 *     <ul>
 *       <li>commit of the part with {@code {"lines": [{"category": "email", "amount": sent}]}}:
 *           sent = held minus the contacts removed in the "Nothing Sent" phase ({@code removedPct}
 *           per contact, default 1%), whose credits the commit releases. The contract commits a
 *           reservation once (what is not committed is released), so the recipients of a part are
 *           charged by that one commit of the part's sent count;</li>
 *       <li>then one refund per bounced first email ({@code bouncePct} per sent email, default 2%),
 *           1 credit each, reason {@code BOUNCE}, refundId {@code <reservation>-bounce-<n>}.</li>
 *     </ul></li>
 *   <li>{@code cancelPct} of the broadcasts (default 5%) are cancelled part-way, after a random
 *       number of parts: every part not yet sent is released ({@code {}}), the cancelled
 *       remainder.</li>
 * </ol>
 * With the defaults a broadcast is 10 reservations, 10 commits or releases and about 20 refunds
 * over about 3.5 s.
 *
 * <p>Parameters ({@code -Dname=value}): the common ones (see loadtest/README.md: baseUrl,
 * adminKey, rate or users, rampUp, duration, p99Ms, setupConcurrency, runId) and the broadcast's;
 * defaults here: {@code wallets} 100 accounts, {@code rate} 2 broadcasts/s, {@code recipients}
 * 1000, {@code partSize} 100, {@code bouncePct} 2, {@code removedPct} 1, {@code cancelPct} 5,
 * {@code sendPauseMs} 200, {@code p99Ms} 1000.
 */
public class BroadcastSimulation extends Simulation {
  private static final String BASE_URL = Params.baseUrl();
  private static final String ADMIN_KEY = Params.adminKey();
  private static final int WALLETS = Params.intValue("wallets", 100, 1);
  private static final double RATE = Params.doubleValue("rate", 2, 0.01);
  private static final int USERS = Params.intValue("users", 0, 0);
  private static final int RAMP_UP = Params.intValue("rampUp", 10, 0);
  private static final int DURATION = Params.intValue("duration", 60, 1);
  private static final int RECIPIENTS = Params.intValue("recipients", 1000, 1);
  private static final int PART_SIZE = Params.intValue("partSize", 100, 1);
  private static final double BOUNCE_PCT = Params.doubleValue("bouncePct", 2, 0, 100);
  private static final double REMOVED_PCT = Params.doubleValue("removedPct", 1, 0, 100);
  private static final double CANCEL_PCT = Params.doubleValue("cancelPct", 5, 0, 100);
  private static final int SEND_PAUSE_MS = Params.intValue("sendPauseMs", 200, 0);
  private static final int P99_MS = Params.intValue("p99Ms", 1000, 1);
  private static final int SETUP_CONCURRENCY = Params.intValue("setupConcurrency", 32, 1);
  private static final String RUN_ID = Params.runId();
  private static final String CATEGORY = "email";
  private static final int PARTS = (RECIPIENTS + PART_SIZE - 1) / PART_SIZE;
  private static final List<String> WALLET_IDS = WalletSetup.walletIds(RUN_ID + "-acct-", WALLETS);
  private static final AtomicLong CAMPAIGNS = new AtomicLong();

  private static final ScenarioBuilder BROADCAST = scenario("broadcast: reserve parts, send, bounce, cancel")
      .exec(BroadcastSimulation::newCampaign)
      // 1. Upload: one reservation per part of the recipients.
      .repeat(PARTS, "part").on(
          exec(session -> session
              .set("rid", session.getString("campaign") + "-p" + session.getInt("part"))
              .set("want", Math.min(PART_SIZE, RECIPIENTS - session.getInt("part") * PART_SIZE)))
          .exec(http("reserve part")
              .post("/v1/wallets/#{wallet}/reservations")
              .body(StringBody("{\"reservationId\":\"#{rid}\",\"lines\":[{\"category\":\"" + CATEGORY
                  + "\",\"amount\":#{want}}],\"allowPartial\":true,\"ttlSeconds\":3600,\"reference\":\"#{campaign}\"}"))
              .check(
                  status().is(201),
                  jsonPath("$.status").is("HELD"),
                  jsonPath("$.lines[0].amount").ofLong().saveAs("held")))
          .exec(session -> session.set("held-" + session.getInt("part"), session.getLong("held"))))
      .pause(Duration.ofSeconds(1))
      // 2. Sending, part after part; a cancelled campaign releases the parts it did not send.
      .repeat(PARTS, "part").on(
          exec(BroadcastSimulation::sendingPart)
          .doIfOrElse(session -> session.getBoolean("send")).then(
              pause(Duration.ofMillis(SEND_PAUSE_MS)),
              exec(http("commit part")
                  .post("/v1/wallets/#{wallet}/reservations/#{rid}/commit")
                  .body(StringBody("{\"lines\":[{\"category\":\"" + CATEGORY + "\",\"amount\":#{sent}}]}"))
                  .check(status().is(200), jsonPath("$.status").is("COMMITTED"))),
              repeat("#{bounces}", "bounce").on(
                  exec(http("refund bounce")
                      .post("/v1/wallets/#{wallet}/reservations/#{rid}/refund")
                      .body(StringBody("{\"refundId\":\"#{rid}-bounce-#{bounce}\",\"lines\":[{\"category\":\""
                          + CATEGORY + "\",\"amount\":1}],\"reason\":\"BOUNCE\"}"))
                      .check(status().is(200)))))
          .orElse(
              exec(http("release part")
                  .post("/v1/wallets/#{wallet}/reservations/#{rid}/release")
                  .body(StringBody("{}"))
                  .check(status().is(200), jsonPath("$.status").is("RELEASED")))));

  {
    setUp(WalletHttp.inject(BROADCAST, RATE, USERS, RAMP_UP, DURATION))
        .protocols(WalletHttp.protocol(BASE_URL, ADMIN_KEY))
        .maxDuration(RAMP_UP + DURATION + 180L)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS));
  }

  /** A new campaign on a random account; {@code sendParts} < PARTS when it will be cancelled. */
  private static Session newCampaign(Session session) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int sendParts = random.nextDouble(100) < CANCEL_PCT ? random.nextInt(PARTS) : PARTS;
    return session
        .set("campaign", RUN_ID + "-c-" + CAMPAIGNS.incrementAndGet())
        .set("wallet", WALLET_IDS.get(random.nextInt(WALLETS)))
        .set("sendParts", sendParts);
  }

  /** What happens to this part: sent (how many, how many bounce) or released. */
  private static Session sendingPart(Session session) {
    int part = session.getInt("part");
    long held = session.getLong("held-" + part);
    long sent = held - binomial(held, REMOVED_PCT);
    boolean send = part < session.getInt("sendParts") && sent > 0;
    return session
        .set("rid", session.getString("campaign") + "-p" + part)
        .set("send", send)
        .set("sent", sent)
        .set("bounces", send ? (int) binomial(sent, BOUNCE_PCT) : 0); // an int: repeat() counts with ints
  }

  private static long binomial(long n, double pct) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long k = 0;
    for (long i = 0; i < n; i++) {
      if (random.nextDouble(100) < pct) k++;
    }
    return k;
  }


  @Override
  public void before() {
    System.out.printf("[loadtest] BroadcastSimulation run %s on %s: %d accounts, broadcasts of %d recipients in %d parts,"
        + " %s%n", RUN_ID, BASE_URL, WALLETS, RECIPIENTS, PARTS, WalletHttp.describe(RATE, USERS, RAMP_UP, DURATION, P99_MS));
    new WalletSetup(BASE_URL, ADMIN_KEY, SETUP_CONCURRENCY)
        .createFunded(WALLET_IDS, CATEGORY, WalletSetup.MAX_GRANT, RUN_ID + "-fund");
  }
}
