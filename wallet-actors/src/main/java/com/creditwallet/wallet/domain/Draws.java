package com.creditwallet.wallet.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Arithmetic on lists of draws, shared by the rules and the views. */
public final class Draws {
  private Draws() {}

  public static Map<String, Long> perCategory(List<Draw> draws) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Draw d : draws) out.merge(d.category(), d.amount(), Long::sum);
    return out;
  }

  public static List<Line> lines(List<Draw> draws) {
    List<Line> out = new ArrayList<>();
    perCategory(draws).forEach((c, a) -> out.add(new Line(c, a)));
    return out;
  }

  public static long total(List<Draw> draws) {
    long sum = 0;
    for (Draw d : draws) sum = Math.addExact(sum, d.amount());
    return sum;
  }

  /** Adds up draws of the same grant, keeping first-seen order. */
  public static List<Draw> merge(List<Draw> draws) {
    Map<String, Draw> byGrant = new LinkedHashMap<>();
    for (Draw d : draws) {
      byGrant.merge(d.grantId() + "\u0000" + d.category(), d, (a, b) -> a.withAmount(a.amount() + b.amount()));
    }
    return List.copyOf(byGrant.values());
  }
}
