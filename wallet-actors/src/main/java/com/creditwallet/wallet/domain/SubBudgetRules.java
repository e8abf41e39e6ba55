package com.creditwallet.wallet.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Sub-budgets (seed 001's lists): allocations from the unassigned pool, and their share of expiries. */
public final class SubBudgetRules {
  private SubBudgetRules() {}

  /**
   * Creates a sub-budget or sets its allocation (the total it may spend per category, spent
   * included). What it newly sets aside must come from the unassigned pool, else 409.
   */
  public static List<WalletEvent> configureSubBudget(
      Decision d, String name, Map<String, Long> allocated, Instant now) {
    WalletState s = d.state();
    Validation.requireId("subBudget", name);
    Map<String, Long> alloc = new TreeMap<>(allocated == null ? Map.of() : allocated);
    WalletRules.requireCategoryAmounts("allocated", alloc);
    for (String c : alloc.keySet()) {
      if (s.isUnlimited(c)) throw Rejection.invalid("allocated." + c, "is unlimited in the plan; nothing to allocate");
    }
    Optional<SubBudget> old = s.subBudget(name);
    if (old.isPresent() && old.get().allocated().equals(alloc)) return List.of();
    SubBudget before = old.orElse(SubBudget.create(name, Map.of()));
    SubBudget after = before.withAllocated(alloc);
    Map<String, Long> unassigned = new TreeMap<>();
    boolean enough = true;
    for (String c : alloc.keySet()) {
      long more = after.unspent(c) - before.unspent(c);
      unassigned.put(c, Math.max(0, s.unassigned(c)));
      if (more > s.unassigned(c)) enough = false;
    }
    if (!enough) {
      throw new Rejection(Rejection.INSUFFICIENT_CREDITS, "allocating more than the unassigned pool",
          Map.of("unassigned", unassigned));
    }
    return List.of(d.emit(new WalletEvent.SubBudgetConfigured(now, name, alloc, Map.of())));
  }

  /**
   * After credits expired: whatever the allocations now exceed the live credits by is taken
   * from them in proportion to their unspent size. The unassigned pool absorbed its part first
   * simply by being what is left over. Call it after any event that can expire credits.
   */
  static void rebalance(Decision d, Instant at) {
    WalletState s = d.state();
    if (s.subBudgets().isEmpty()) return;
    Set<String> categories = new TreeSet<>();
    for (SubBudget b : s.subBudgets().values()) categories.addAll(b.allocated().keySet());
    for (String c : categories) {
      WalletState now = d.state();
      long excess = now.allocatedUnspent(c) - Math.max(0, now.grantRemaining(c));
      if (excess <= 0) continue;
      Map<String, Long> weights = new TreeMap<>();
      for (SubBudget b : now.subBudgets().values()) if (b.unspent(c) > 0) weights.put(b.name(), b.unspent(c));
      d.emit(new WalletEvent.AllocationsReduced(at, c, ProportionalSplit.split(excess, weights), Map.of()));
    }
  }
}
