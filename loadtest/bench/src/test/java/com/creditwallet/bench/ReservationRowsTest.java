package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReservationRowsTest {

  @Test
  void writesIntoTheServicesOwnTablesInAKeyspaceOfItsOwn() {
    List<String> cql = ReservationRows.tables("bench_rows_1");
    assertEquals(3, cql.size(), String.join("\n", cql));
    assertTrue(cql.get(0).startsWith("CREATE KEYSPACE IF NOT EXISTS bench_rows_1"), cql.get(0));
    assertTrue(cql.get(1).contains("CREATE TABLE IF NOT EXISTS bench_rows_1.messages ("), cql.get(1));
    assertTrue(cql.get(1).contains("tags frozen<set<text>>"), "the journal table as the service creates it: " + cql.get(1));
    assertTrue(cql.get(2).contains("CREATE TABLE IF NOT EXISTS bench_rows_1.ledger_entries ("), cql.get(2));
    assertTrue(cql.get(2).contains("PRIMARY KEY ((wallet_id, month), at, seq, idx)"), cql.get(2));
  }
}
