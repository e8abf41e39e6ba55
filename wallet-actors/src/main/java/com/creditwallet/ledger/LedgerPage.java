package com.creditwallet.ledger;

import java.util.List;

/** One page of a ledger listing; {@code next} null when there is nothing after it. */
public record LedgerPage(List<LedgerEntry> entries, LedgerQuery.Position next) {}
