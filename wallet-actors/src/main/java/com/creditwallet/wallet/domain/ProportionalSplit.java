package com.creditwallet.wallet.domain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits an amount over named shares in proportion to their sizes, in whole credits, by the
 * largest-remainder method: everyone gets the floor of their exact share, and the credits left
 * go one each to the largest fractional remainders, ties broken by name (seed 001: expired
 * credits are deducted from the lists' allocations "in a proportionate manner").
 */
public final class ProportionalSplit {
  private ProportionalSplit() {}

  /**
   * {@code amount} split over {@code weights} (all >= 0, summing to at least {@code amount});
   * no share ever exceeds its weight.
   */
  public static Map<String, Long> split(long amount, Map<String, Long> weights) {
    Map<String, Long> out = new TreeMap<>();
    BigInteger total = BigInteger.ZERO;
    for (long w : weights.values()) total = total.add(BigInteger.valueOf(w));
    if (amount <= 0 || total.signum() == 0) return out;
    BigInteger a = BigInteger.valueOf(amount);
    record Share(String name, long floor, BigInteger remainder) {}
    List<Share> shares = new ArrayList<>();
    long given = 0;
    for (Map.Entry<String, Long> e : new TreeMap<>(weights).entrySet()) {
      BigInteger[] qr = a.multiply(BigInteger.valueOf(e.getValue())).divideAndRemainder(total);
      shares.add(new Share(e.getKey(), qr[0].longValueExact(), qr[1]));
      given += qr[0].longValueExact();
    }
    shares.sort(Comparator.comparing(Share::remainder).reversed().thenComparing(Share::name));
    long left = amount - given;
    for (Share s : shares) {
      long extra = left > 0 && s.floor() < weights.get(s.name()) ? 1 : 0;
      left -= extra;
      if (s.floor() + extra > 0) out.put(s.name(), s.floor() + extra);
    }
    return out;
  }
}
