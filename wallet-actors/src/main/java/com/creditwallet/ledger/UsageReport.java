package com.creditwallet.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Usage totals summed by one dimension (seed 001's report per list over time, seed 003's usage by
 * category). Rows without a sub-budget or operation form the "" group of that dimension.
 */
public final class UsageReport {
  private UsageReport() {}

  public enum GroupBy {
    DAY("day", k -> k.day().toString()),
    CATEGORY("category", UsageKey::category),
    SUB_BUDGET("subBudget", UsageKey::subBudget),
    OPERATION("operation", UsageKey::operation);

    public final String param;
    final Function<UsageKey, String> key;

    GroupBy(String param, Function<UsageKey, String> key) {
      this.param = param;
      this.key = key;
    }

    /** The dimension named by the query parameter, or null. */
    public static GroupBy of(String param) {
      for (GroupBy g : values()) if (g.param.equals(param)) return g;
      return null;
    }

    public static List<String> names() {
      List<String> out = new ArrayList<>();
      for (GroupBy g : values()) out.add(g.param);
      return out;
    }
  }

  /** One group's totals. */
  public record Group(String key, UsageTotals totals) {}

  public static List<Group> group(Map<UsageKey, UsageTotals> rows, GroupBy by) {
    Map<String, UsageTotals> sums = new TreeMap<>();
    rows.forEach((k, v) -> sums.merge(by.key.apply(k), v, UsageTotals::plus));
    List<Group> out = new ArrayList<>();
    sums.forEach((k, v) -> out.add(new Group(k, v)));
    return out;
  }
}
