package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named part of the wallet (seed 001's lists). In a category it has an allocation for, it may
 * spend only its unspent allocation (allocated - held - spent), and those credits are kept out
 * of everybody else's reach; in other categories it spends from the unassigned pool. Held and
 * spent are tracked for every category, for reports.
 */
public record SubBudget(
    String name, Map<String, Long> allocated, Map<String, Long> held, Map<String, Long> spent)
    implements CborSerializable {

  public SubBudget {
    allocated = new TreeMap<>(allocated == null ? Map.of() : allocated);
    held = new TreeMap<>(held == null ? Map.of() : held);
    spent = new TreeMap<>(spent == null ? Map.of() : spent);
  }

  public static SubBudget create(String name, Map<String, Long> allocated) {
    return new SubBudget(name, allocated, Map.of(), Map.of());
  }

  public boolean allocates(String category) {
    return allocated.containsKey(category);
  }

  /** Credits still set aside for this sub-budget in the category (0 without an allocation). */
  public long unspent(String category) {
    if (!allocates(category)) return 0;
    return Math.max(0, allocated.get(category) - held.getOrDefault(category, 0L) - spent.getOrDefault(category, 0L));
  }

  public SubBudget withAllocated(Map<String, Long> newAllocated) {
    return new SubBudget(name, newAllocated, held, spent);
  }

  public SubBudget plusHeld(String category, long d) {
    return new SubBudget(name, allocated, plus(held, category, d), spent);
  }

  public SubBudget plusSpent(String category, long d) {
    return new SubBudget(name, allocated, held, plus(spent, category, d));
  }

  public SubBudget cut(String category, long amount) {
    return new SubBudget(name, plus(allocated, category, -amount), held, spent);
  }

  private static Map<String, Long> plus(Map<String, Long> m, String category, long d) {
    Map<String, Long> out = new TreeMap<>(m);
    out.put(category, Math.addExact(out.getOrDefault(category, 0L), d));
    return out;
  }
}
