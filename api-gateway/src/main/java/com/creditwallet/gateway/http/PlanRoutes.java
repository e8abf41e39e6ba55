package com.creditwallet.gateway.http;

import com.creditwallet.registry.RegistryEntity;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.TimeLimits;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.RateCard;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Plans (admin): define and read them, and subscribe a wallet. Operations' rate cards (admin):
 * define and read them. Subscribing reads the plan (from this node's copy of the registry) and
 * hands the wallet a copy, so the wallet never depends on a later edit.
 */
public final class PlanRoutes extends WalletAsk {

  public PlanRoutes(WalletSharding wallets, Duration askTimeout) {
    super(wallets, askTimeout);
  }

  public Route routes() {
    return concat(
        pathPrefix("operations", () -> path(PathMatchers.segment(), operation -> concat(
            put(() -> withBody(body -> defineOperation(operation, RequestReader.of(body, "costs", "senderCosts")))),
            get(() -> completeWithFuture(wallets.registry()
                .get(RegistryEntity.OPERATIONS, checkedId("operation", operation), askTimeout)
                .handle(answering(StatusCodes.OK))))))),
        pathPrefix("plans", () -> path(PathMatchers.segment(), planId -> concat(
            put(() -> withBody(body -> define(planId, RequestReader.of(body,
                "allowances", "unlimited", "cycle", "rollover", "trial", "features")))),
            get(() -> completeWithFuture(readPlan(planId).handle(answering(StatusCodes.OK))))))),
        pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId ->
            path("plan", () -> post(() -> withBody(body -> subscribe(walletId, RequestReader.of(body, "planId"))))))));
  }

  private Route define(String planId, RequestReader r) {
    Validation.requireId("planId", planId);
    String cycle = r.requiredString("cycle");
    TimeLimits.requireCycle("cycle", cycle);
    Plan.Trial trial = null;
    RequestReader t = r.object("trial", "duration", "credits");
    if (t != null) {
      String duration = t.requiredString("duration");
      TimeLimits.requireTrial("trial.duration", duration);
      trial = new Plan.Trial(duration, t.categoryAmounts("credits", 0));
    }
    Map<String, Long> allowances = r.categoryAmounts("allowances", 0);
    List<String> unlimited = r.categories("unlimited");
    Plan plan = new Plan(planId, allowances, unlimited, cycle, r.categoryAmounts("rollover", 0), trial, r.flags("features"));
    if (plan.categories().isEmpty()) throw Rejection.invalid("allowances", "a plan needs at least one category");
    CompletionStage<HttpResponse> stored = wallets.registry().define(RegistryEntity.PLANS, plan, askTimeout)
        .handle(answering(StatusCodes.OK));
    return completeWithFuture(stored);
  }

  private Route defineOperation(String operation, RequestReader r) {
    checkedId("operation", operation);
    Map<String, Long> costs = r.categoryAmounts("costs", 0);
    if (costs == null) throw Rejection.invalid("costs", "is required");
    Map<String, Map<String, Long>> senderCosts = new java.util.TreeMap<>();
    RequestReader senders = r.openObject("senderCosts");
    if (senders != null) senders.fieldNames().forEach(sender -> {
      Validation.requireId("senderCosts." + sender, sender);
      senderCosts.put(sender, senders.categoryAmounts(sender, 0));
    });
    RateCard card = new RateCard(operation, costs, senderCosts);
    if (card.unitCosts(null).isEmpty() && senderCosts.values().stream().allMatch(Map::isEmpty)) {
      throw Rejection.invalid("costs", "an operation must cost something in at least one category");
    }
    return completeWithFuture(wallets.registry().define(RegistryEntity.OPERATIONS, card, askTimeout)
        .handle(answering(StatusCodes.OK)));
  }

  private static String checkedId(String field, String id) {
    Validation.requireId(field, id);
    return id;
  }

  private Route subscribe(String walletId, RequestReader r) {
    Validation.requireId("walletId", walletId);
    String planId = r.id("planId", true);
    CompletionStage<HttpResponse> answer = readPlan(planId)
        .thenCompose(plan -> this.<WalletView>askWallet(walletId, reply -> new WalletEntity.Subscribe(plan, reply)))
        .handle(answering(StatusCodes.OK));
    return completeWithFuture(answer);
  }

  private CompletionStage<Plan> readPlan(String planId) {
    Validation.requireId("planId", planId);
    return wallets.registry().get(RegistryEntity.PLANS, planId, askTimeout).thenApply(d -> (Plan) d);
  }
}
