package com.creditwallet.ledger;

import java.time.Instant;

/**
 * One line of a wallet's ledger: the credits of one grant that one event moved. {@code seq} is
 * the event's sequence number in the wallet's journal and {@code idx} the line's place in that
 * event, so (at, seq, idx) identifies a line for good: replays rewrite the same line, and paging
 * cursors are positions in that order. {@code grantId} is null for overdraft or unlimited
 * credits (no real grant); {@code available} is the category's balance right after the event.
 */
public record LedgerEntry(
    String walletId,
    long seq,
    int idx,
    Instant at,
    String type,
    String category,
    long amount,
    String grantId,
    String reservationId,
    String subBudget,
    String reference,
    String operation,
    Long available,
    String detail) {

  public static final String GRANTED = "GRANTED";
  public static final String RESERVED = "RESERVED";
  public static final String COMMITTED = "COMMITTED";
  public static final String RELEASED = "RELEASED";
  public static final String REFUNDED = "REFUNDED";
  public static final String EXPIRED = "EXPIRED";
  public static final String RESET = "RESET";
  public static final String ADJUSTED = "ADJUSTED";
}
