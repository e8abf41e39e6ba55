package com.creditwallet.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A ledger listing's filters ({@code from} inclusive, {@code to} exclusive; null = open) and where
 * to continue ({@code after}: the position of the last line already seen).
 */
public record LedgerQuery(
    String walletId, Instant from, Instant to, String category, String subBudget, String reference, int limit,
    Position after) {

  /**
   * A place in a wallet's ledger: month partition and (at, seq, idx). Opaque to clients as a
   * cursor; positions never move, so a cursor stays valid however many lines arrive meanwhile.
   */
  public record Position(String month, Instant at, long seq, int idx) {
    public String cursor() {
      String raw = "1|" + month + "|" + at.toEpochMilli() + "|" + seq + "|" + idx;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for; IllegalArgumentException if it is not one of ours. */
    public static Position ofCursor(String cursor) {
      String raw;
      try {
        raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a cursor");
      }
      String[] p = raw.split("\\|", -1);
      if (p.length != 5 || !p[0].equals("1") || !p[1].matches("\\d{4}-\\d{2}")) {
        throw new IllegalArgumentException("not a cursor");
      }
      try {
        return new Position(p[1], Instant.ofEpochMilli(Long.parseLong(p[2])), Long.parseLong(p[3]),
            Integer.parseInt(p[4]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a cursor");
      }
    }
  }

  public boolean matches(LedgerEntry e) {
    return (category == null || category.equals(e.category()))
        && (subBudget == null || subBudget.equals(e.subBudget()))
        && (reference == null || reference.equals(e.reference()));
  }

  public LedgerQuery after(Position p) {
    return new LedgerQuery(walletId, from, to, category, subBudget, reference, limit, p);
  }
}
