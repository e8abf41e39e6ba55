package com.creditwallet.gateway.auth;

import java.util.List;

/**
 * What an account key may do, as rules over a route's method and path template, so that routes
 * added later fall under them by their shape alone: the spending calls on its own wallet
 * (reserve, commit, release, refund, debit, estimate), reads of its own wallet, reservations,
 * ledger, usage and events, and a batch whose items all name its own wallet. Everything else
 * (another wallet, plans, operations, grants, sub-budgets, audit, account keys, anything new that
 * no rule names) is admin only: a new route is closed to account keys until a rule opens it.
 *
 * <p>A rule segment {@code **} matches the rest of the template (zero or more segments), so
 * {@code GET /v1/wallets/{walletId}/ledger/**} covers the ledger and any export under it.
 */
public final class AccountRights {
  private AccountRights() {}

  /** Where a batch is the route: its items are checked one by one against the key's wallet. */
  public static final String BATCH = "/v1/batch";

  private static final String WALLET = "/v1/wallets/{walletId}";

  private static final List<Rule> RULES = List.of(
      new Rule("GET", WALLET),
      new Rule("GET", WALLET + "/reservations/**"),
      new Rule("POST", WALLET + "/reservations"),
      new Rule("POST", WALLET + "/reservations/{reservationId}/commit"),
      new Rule("POST", WALLET + "/reservations/{reservationId}/release"),
      new Rule("POST", WALLET + "/reservations/{reservationId}/refund"),
      new Rule("POST", WALLET + "/debits"),
      new Rule("POST", WALLET + "/estimate"),
      new Rule("GET", WALLET + "/ledger/**"),
      new Rule("GET", WALLET + "/usage/**"),
      new Rule("GET", WALLET + "/events/**"),
      new Rule("POST", BATCH));

  private record Rule(String method, List<String> rule) {
    Rule(String method, String template) {
      this(method, Endpoint.Templates.segments(template));
    }

    boolean covers(Endpoint e) {
      if (!method.equals(e.method())) return false;
      List<String> route = e.segments();
      for (int i = 0; i < rule.size(); i++) {
        if (rule.get(i).equals("**")) return true;
        if (i >= route.size() || !rule.get(i).equals(route.get(i))) return false;
      }
      return rule.size() == route.size();
    }
  }

  /** The verdict for an account key of {@code keyWallet} on a request. */
  public enum Verdict {
    ALLOWED,
    /** Allowed if every item of the batch body names the key's wallet. */
    ALLOWED_IF_BATCH_OWN_WALLET,
    FORBIDDEN
  }

  public static Verdict decide(Endpoint endpoint, List<String> path, String keyWallet) {
    if (endpoint.open()) return Verdict.ALLOWED;
    boolean covered = false;
    for (Rule r : RULES) covered |= r.covers(endpoint);
    if (!covered) return Verdict.FORBIDDEN;
    if (endpoint.template().equals(BATCH)) return Verdict.ALLOWED_IF_BATCH_OWN_WALLET;
    String walletId = endpoint.param("walletId", path);
    return keyWallet.equals(walletId) ? Verdict.ALLOWED : Verdict.FORBIDDEN;
  }
}
