package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plan as the admin defined it. A wallet keeps a copy of the plan it subscribed to, so later
 * edits of the plan never change a running cycle retroactively; they apply from the next
 * subscription. {@code trial} null = a paid plan.
 */
public record Plan(
    String planId,
    Map<String, Long> allowances,
    List<String> unlimited,
    String cycle,
    Map<String, Long> rollover,
    Trial trial,
    Map<String, Boolean> features)
    implements CborSerializable, Definition {

  public Plan {
    allowances = new TreeMap<>(allowances == null ? Map.of() : allowances);
    unlimited = List.copyOf(new TreeSet<>(unlimited == null ? List.of() : unlimited));
    rollover = new TreeMap<>(rollover == null ? Map.of() : rollover);
    features = new TreeMap<>(features == null ? Map.of() : features);
  }

  /** Trial settings: how long it lasts and the trial credits it grants (seed 003: 50). */
  public record Trial(String duration, Map<String, Long> credits) implements CborSerializable {
    public Trial {
      credits = new TreeMap<>(credits == null ? Map.of() : credits);
    }
  }

  @Override
  public String id() {
    return planId;
  }

  public boolean isUnlimited(String category) {
    return unlimited.contains(category);
  }

  public long rolloverCap(String category) {
    return rollover.getOrDefault(category, 0L);
  }

  /** Seed 004: API access only on some plans; absent means allowed. */
  public boolean apiAccess() {
    return features.getOrDefault("apiAccess", true);
  }

  /** Every category the plan speaks of. */
  public TreeSet<String> categories() {
    TreeSet<String> out = new TreeSet<>(allowances.keySet());
    out.addAll(unlimited);
    if (trial != null) out.addAll(trial.credits().keySet());
    return out;
  }
}
