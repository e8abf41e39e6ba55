package com.creditwallet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulations share: the HTTP protocol (admin bearer key, JSON), the injection profile
 * chosen by the parameters, and the reserve-then-commit chain.
 *
 * <p>Why it exists: so that every simulation talks to the service the same way and the figures
 * of different simulations compare.
 */
final class WalletHttp {
  private WalletHttp() {}

  /**
   * Every request carries {@code Authorization: Bearer <adminKey>} and JSON headers. Connections
   * are shared by all virtual users, as a backend calling the wallet would pool them (otherwise
   * every new virtual user of the open model would open a TCP connection of its own). The warm-up
   * request goes to the node, not to gatling.io.
   */
  static HttpProtocolBuilder protocol(String baseUrl, String adminKey) {
    return http.baseUrl(baseUrl)
        .authorizationHeader("Bearer " + adminKey)
        .contentTypeHeader("application/json")
        .acceptHeader("application/json")
        .shareConnections()
        .warmUp(baseUrl + "/health/alive");
  }

  /**
   * Closed model with {@code users} concurrent users when {@code users > 0} (each starts the
   * scenario again as soon as it ends: measures how much the service takes), else open model
   * with {@code rate} new users per second (a fixed offered load: measures latency under it).
   * Either way, first a linear ramp of {@code rampUp} seconds from a tenth of the load (none if
   * 0), then {@code duration} seconds at the full load. The ramp exists because both JVMs (the
   * node's and Gatling's own) are still compiling in the first seconds: on 2 cores, a full load
   * from the first second makes those seconds' tail the run's p99.
   */
  static PopulationBuilder inject(ScenarioBuilder scenario, double rate, int users, int rampUp, int duration) {
    if (users > 0) {
      List<ClosedInjectionStep> steps = new ArrayList<>();
      if (rampUp > 0) {
        steps.add(rampConcurrentUsers(Math.max(1, users / 10)).to(users).during(rampUp));
      }
      steps.add(constantConcurrentUsers(users).during(duration));
      return scenario.injectClosed(steps);
    }
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (rampUp > 0) {
      steps.add(rampUsersPerSec(rate / 10).to(rate).during(rampUp));
    }
    steps.add(constantUsersPerSec(rate).during(duration));
    return scenario.injectOpen(steps);
  }

  /** The load in words, for the line each simulation prints before it starts. */
  static String describe(double rate, int users, int rampUp, int duration, int p99Ms) {
    String load = users > 0 ? users + " concurrent users" : rate + " users/s";
    return load + " for " + duration + " s after a " + rampUp + " s ramp, p99 < " + p99Ms + " ms";
  }

  /**
   * Reserves 1 {@code category} credit as reservation {@code #{rid}} on wallet {@code #{wallet}}
   * (201, HELD), then commits all of it with {@code {}} (200, COMMITTED).
   */
  static ChainBuilder reserveOneAndCommit(String category) {
    return CoreDsl.exec(
        http("reserve")
            .post("/v1/wallets/#{wallet}/reservations")
            .body(StringBody("{\"reservationId\":\"#{rid}\",\"lines\":[{\"category\":\"" + category
                + "\",\"amount\":1}]}"))
            .check(status().is(201), jsonPath("$.status").is("HELD")),
        http("commit")
            .post("/v1/wallets/#{wallet}/reservations/#{rid}/commit")
            .body(StringBody("{}"))
            .check(status().is(200), jsonPath("$.status").is("COMMITTED")));
  }
}
