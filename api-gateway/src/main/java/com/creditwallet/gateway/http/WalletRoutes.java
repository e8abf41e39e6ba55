package com.creditwallet.gateway.http;

import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.Configured;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.SubBudgetView;
import com.creditwallet.wallet.domain.Validation;
import java.util.Map;
import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.WalletSettings;
import java.time.Duration;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** /v1/wallets/{walletId}: create/update, read, grants and audit. */
public final class WalletRoutes extends WalletAsk {

  public WalletRoutes(WalletSharding wallets, Duration askTimeout) {
    super(wallets, askTimeout);
  }

  public Route routes() {
    return pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId -> concat(
        pathEnd(() -> concat(
            put(() -> withBody(body -> configure(walletId, RequestReader.of(body,
                "timeZone", "consumptionOrder", "lowBalanceThresholds", "overdraft")))),
            get(() -> ask(walletId, WalletEntity.GetWallet::new, w -> Json.response(StatusCodes.OK, w))))),
        path("grants", () -> post(() -> withBody(body -> grant(walletId, RequestReader.of(body,
            "grantId", "category", "amount", "source", "expiresAt", "expiresOn", "validFor",
            "priority", "extendExisting"))))),
        path(PathMatchers.segment("sub-budgets").slash(PathMatchers.segment()), name -> put(() -> withBody(body -> {
          Map<String, Long> allocated = RequestReader.of(body, "allocated").categoryAmounts("allocated", 0);
          Validation.requireId("subBudget", name);
          return this.<SubBudgetView>ask(walletId,
              reply -> new WalletEntity.ConfigureSubBudget(name, allocated, reply),
              v -> Json.response(StatusCodes.OK, v));
        }))),
        path("audit", () -> get(() -> ask(walletId, WalletEntity.GetAudit::new,
            a -> Json.response(StatusCodes.OK, a)))))));
  }

  private Route configure(String walletId, RequestReader r) {
    WalletSettings.SettingsUpdate update =
        new WalletSettings.SettingsUpdate(
            r.string("timeZone"),
            r.enumValue("consumptionOrder", ConsumptionOrder.class),
            r.categoryAmounts("lowBalanceThresholds", 0),
            r.categoryAmounts("overdraft", 0));
    return this.<Configured>ask(walletId, reply -> new WalletEntity.Configure(update, reply),
        c -> Json.response(c.created() ? StatusCodes.CREATED : StatusCodes.OK, c.wallet()));
  }

  private Route grant(String walletId, RequestReader r) {
    GrantSource source = r.enumValue("source", GrantSource.class);
    if (source == null) throw Rejection.invalid("source", "is required: one of " + java.util.Arrays.toString(GrantSource.values()));
    Long priority = r.integer("priority", -1_000_000, 1_000_000);
    GrantRequest request =
        new GrantRequest(
            r.id("grantId", true),
            r.category("category"),
            r.amount("amount"),
            source,
            r.instant("expiresAt"),
            r.date("expiresOn"),
            r.string("validFor"),
            priority == null ? 0 : priority.intValue(),
            Boolean.TRUE.equals(r.bool("extendExisting")));
    return this.<GrantView>ask(walletId, reply -> new WalletEntity.IssueGrant(request, reply),
        g -> Json.response(StatusCodes.CREATED, g));
  }
}
