package com.creditwallet.ledger;

/** The usage report's five totals of one group; immutable, added up with {@link #plus}. */
public record UsageTotals(long granted, long committed, long refunded, long released, long expired) {
  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0);

  public UsageTotals plus(UsageTotals o) {
    return new UsageTotals(granted + o.granted, committed + o.committed, refunded + o.refunded,
        released + o.released, expired + o.expired);
  }

  /** The totals that one ledger line adds (RESERVED and RESET add nothing). */
  public static UsageTotals of(LedgerEntry e) {
    long a = e.amount();
    return switch (e.type()) {
      case LedgerEntry.GRANTED, LedgerEntry.ADJUSTED -> new UsageTotals(a, 0, 0, 0, 0);
      case LedgerEntry.COMMITTED -> new UsageTotals(0, a, 0, 0, 0);
      case LedgerEntry.REFUNDED -> new UsageTotals(0, 0, a, 0, 0);
      case LedgerEntry.RELEASED -> new UsageTotals(0, 0, 0, a, 0);
      case LedgerEntry.EXPIRED -> new UsageTotals(0, 0, 0, 0, a);
      default -> ZERO;
    };
  }
}
