package com.creditwallet.gateway.http;

import com.creditwallet.ledger.LedgerEntry;
import com.creditwallet.ledger.LedgerPage;
import com.creditwallet.ledger.LedgerQueries;
import com.creditwallet.ledger.LedgerQuery;
import com.creditwallet.ledger.UsageReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Ledger and usage exports, streamed: the ledger is read page by page as the client consumes it,
 * so a six-month export of a busy wallet never sits in memory. CSV goes out line by line. XLSX
 * uses POI's SXSSF, which keeps a window of {@link #XLSX_WINDOW} rows in memory and spills the
 * rest to a compressed temp file; the zip is then written straight into the response (a blocking
 * writer on the blocking-IO dispatcher feeding the HTTP stream, with backpressure).
 */
final class LedgerExport {
  static final List<String> LEDGER_COLUMNS = List.of("seq", "at", "type", "category", "amount", "grantId",
      "reservationId", "subBudget", "reference", "operation", "available", "detail");
  static final List<String> TOTAL_COLUMNS = List.of("granted", "committed", "refunded", "released", "expired");

  private static final int PAGE = 1_000;
  private static final int XLSX_WINDOW = 200;

  private LedgerExport() {}

  /** Every line matching the query from its position on (at most {@code max}), page by page. */
  static Source<LedgerEntry, NotUsed> lines(LedgerQueries queries, LedgerQuery q, long max) {
    LedgerQuery paged = new LedgerQuery(q.walletId(), q.from(), q.to(), q.category(), q.subBudget(), q.reference(),
        PAGE, q.after());
    Source<List<LedgerEntry>, NotUsed> pages = Source.unfoldAsync(Optional.of(paged),
        (Optional<LedgerQuery> next) -> {
          if (next.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
          return queries.page(next.get()).thenApply((LedgerPage p) -> Optional.of(Pair.create(
              Optional.ofNullable(p.next()).map(next.get()::after), p.entries())));
        });
    return pages.mapConcat(l -> l).take(max);
  }

  static List<String> values(LedgerEntry e) {
    return Arrays.asList(Long.toString(e.seq()), e.at().toString(), e.type(), e.category(), Long.toString(e.amount()),
        e.grantId(), e.reservationId(), e.subBudget(), e.reference(), e.operation(),
        e.available() == null ? null : e.available().toString(), e.detail());
  }

  static Source<ByteString, NotUsed> csv(List<String> header, Source<List<String>, NotUsed> rows) {
    return Source.single(header).concat(rows).map(r -> ByteString.fromString(csvLine(r)));
  }

  /** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
  static String csvLine(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) b.append(',');
      String v = values.get(i);
      if (v == null) continue;
      if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
        b.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        b.append(v);
      }
    }
    return b.append("\r\n").toString();
  }

  static List<String> usageValues(UsageReport.Group g) {
    var t = g.totals();
    return List.of(g.key(), Long.toString(t.granted()), Long.toString(t.committed()), Long.toString(t.refunded()),
        Long.toString(t.released()), Long.toString(t.expired()));
  }

  /**
   * An XLSX workbook of one sheet: the header, then each row (numbers stay numbers, so the
   * spreadsheet can sum them). {@code rows} is pulled by the writer thread as it writes.
   */
  static Source<ByteString, CompletionStage<org.apache.pekko.stream.IOResult>> xlsx(
      String sheetName, List<String> header, Source<List<String>, NotUsed> rows, List<Integer> numericColumns,
      org.apache.pekko.stream.Materializer materializer, Executor blocking) {
    return StreamConverters.asOutputStream(Duration.ofSeconds(60)).mapMaterializedValue(out -> {
      java.util.stream.Stream<List<String>> pulled = rows.runWith(StreamConverters.asJavaStream(), materializer);
      blocking.execute(() -> {
        try (pulled) {
          writeWorkbook(out, sheetName, header, pulled.iterator(), numericColumns);
        }
      });
      return CompletableFuture.completedFuture(org.apache.pekko.stream.IOResult.createSuccessful(0));
    });
  }

  private static void writeWorkbook(OutputStream out, String sheetName, List<String> header,
      java.util.Iterator<List<String>> rows, List<Integer> numericColumns) {
    SXSSFWorkbook wb = new SXSSFWorkbook(XLSX_WINDOW);
    wb.setCompressTempFiles(true);
    try (out) {
      Sheet sheet = wb.createSheet(sheetName);
      Row head = sheet.createRow(0);
      for (int i = 0; i < header.size(); i++) head.createCell(i).setCellValue(header.get(i));
      int r = 1;
      while (rows.hasNext()) {
        List<String> values = rows.next();
        Row row = sheet.createRow(r++);
        for (int i = 0; i < values.size(); i++) {
          String v = values.get(i);
          if (v == null) continue;
          if (numericColumns.contains(i)) row.createCell(i).setCellValue(Long.parseLong(v));
          else row.createCell(i).setCellValue(v);
        }
      }
      wb.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      wb.dispose();
      try {
        wb.close();
      } catch (IOException ignored) {
        // the temp files are gone (dispose); nothing else to release
      }
    }
  }

  static final List<Integer> LEDGER_NUMERIC = List.of(0, 4, 10);
  static final List<Integer> USAGE_NUMERIC = List.of(1, 2, 3, 4, 5);

  static List<String> usageHeader(String dimension) {
    List<String> h = new ArrayList<>();
    h.add(dimension);
    h.addAll(TOTAL_COLUMNS);
    return h;
  }

}
