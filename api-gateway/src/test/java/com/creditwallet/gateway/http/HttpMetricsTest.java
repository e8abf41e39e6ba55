package com.creditwallet.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Route labels stay few whatever ids clients send; CSV fields are quoted only when needed. */
class HttpMetricsTest {
  @Test
  void idsBecomePlaceholders() {
    assertEquals("/v1/wallets/{id}/reservations/{id}/commit", HttpMetrics.route("/v1/wallets/acme/reservations/r-1/commit"));
    assertEquals("/v1/wallets/{id}/ledger", HttpMetrics.route("/v1/wallets/Some.Wallet:1/ledger"));
    assertEquals("/v1/webhooks/{id}/deliveries", HttpMetrics.route("/v1/webhooks/h-1/deliveries"));
    assertEquals("/metrics", HttpMetrics.route("/metrics"));
    assertEquals("other", HttpMetrics.route("/v1/Whatever/%20"));
    assertEquals("other", HttpMetrics.route("/a/b/c/d/e/f/g/h/i"));
    assertEquals("/v1/abcdefghij-012345678", HttpMetrics.route("/v1/abcdefghij-012345678"), "20 characters");
    assertEquals("other", HttpMetrics.route("/v1/abcdefghij-0123456789"), "a segment of 21 characters");
    assertEquals("other", HttpMetrics.route("/v1//wallets"), "an empty segment");
    assertEquals("other", HttpMetrics.route("/v1/wallets_x"));
  }

  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    assertEquals("1,,a b,\"x,y\",\"say \"\"hi\"\"\"\r\n",
        LedgerExport.csvLine(java.util.Arrays.asList("1", null, "a b", "x,y", "say \"hi\"")));
    assertEquals("seq,at\r\n", LedgerExport.csvLine(List.of("seq", "at")));
  }
}
