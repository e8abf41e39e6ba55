package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one unit of an operation costs, across categories (seed 004: Gift Card Postman = 25
 * campaign credits), plus what each sender adds per unit (1 app_email credit for the app's own
 * email sender; Shopify Email, Klaviyo and Flow add nothing and need no entry).
 */
public record RateCard(String operation, Map<String, Long> costs, Map<String, Map<String, Long>> senderCosts)
    implements CborSerializable, Definition {

  public RateCard {
    costs = new TreeMap<>(costs == null ? Map.of() : costs);
    TreeMap<String, Map<String, Long>> s = new TreeMap<>();
    if (senderCosts != null) senderCosts.forEach((k, v) -> s.put(k, new TreeMap<>(v)));
    senderCosts = s;
  }

  @Override
  public String id() {
    return operation;
  }

  /**
   * The cost of one unit with this sender (null = none): the operation's own costs first, then
   * what the sender adds, in that order (as the contract's example lists them).
   */
  public Map<String, Long> unitCosts(String sender) {
    Map<String, Long> out = new LinkedHashMap<>(costs);
    if (sender != null) senderCosts.getOrDefault(sender, Map.of()).forEach((c, a) -> out.merge(c, a, Math::addExact));
    out.values().removeIf(a -> a == 0);
    return out;
  }
}
