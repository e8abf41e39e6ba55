package com.creditwallet.ledger;

import java.time.LocalDate;

/**
 * A usage row: a day in the wallet's time zone, a category, and the sub-budget and operation
 * of the reservation ("" where there is none, e.g. for grants: Cassandra keys cannot be null).
 */
public record UsageKey(LocalDate day, String category, String subBudget, String operation) {
  public UsageKey {
    subBudget = subBudget == null ? "" : subBudget;
    operation = operation == null ? "" : operation;
  }
}
