package com.creditwallet.ledger;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Reads for the reports: ledger pages and usage totals.
 *
 * <p>A ledger page walks the wallet's month partitions in order from the query's position,
 * reading slices of the clustering order (at, seq, idx) bounded by from/to, and keeps the lines
 * that pass the category, sub-budget and reference filters. A page stops when it has
 * {@code limit} lines or after {@link #SCAN_BUDGET} rows read, and then hands out the position of
 * the last row read as its cursor: a selective filter over millions of lines answers in bounded
 * time with a shorter page, never with a timeout.
 */
public final class LedgerQueries {
  /** Rows read per page at most, whatever the filters keep. */
  static final int SCAN_BUDGET = 5_000;

  private static final int FETCH = 500;
  private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");

  private final CassandraSession session;
  private final Prepared months;
  private final Prepared fromStart;
  private final Prepared fromPosition;
  private final Prepared usage;
  private final Prepared known;

  public LedgerQueries(CassandraSession session, String keyspace) {
    this.session = session;
    String columns = "at, seq, idx, type, category, amount, grant_id, reservation_id, sub_budget, reference,"
        + " operation, available, detail, line";
    months = new Prepared(session, "SELECT month FROM " + keyspace + ".ledger_months WHERE wallet_id = ?");
    fromStart = new Prepared(session, "SELECT " + columns + " FROM " + keyspace + ".ledger_entries"
        + " WHERE wallet_id = ? AND month = ? AND (at) >= (?) AND (at) < (?) LIMIT ?");
    fromPosition = new Prepared(session, "SELECT " + columns + " FROM " + keyspace + ".ledger_entries"
        + " WHERE wallet_id = ? AND month = ? AND (at, seq, idx) > (?, ?, ?) AND (at) < (?) LIMIT ?");
    usage = new Prepared(session, "SELECT day, category, sub_budget, operation, granted, committed, refunded, released,"
        + " expired FROM " + keyspace + ".usage_totals WHERE wallet_id = ? AND day >= ? AND day <= ?");
    known = new Prepared(session, "SELECT watermark FROM " + keyspace + ".usage_totals WHERE wallet_id = ? LIMIT 1");
  }

  /** Whether the read side has seen any event of the wallet. */
  public CompletionStage<Boolean> known(String walletId) {
    return known.get().thenCompose(ps -> session.selectOne(ps.bind(walletId)))
        .thenApply(r -> r.isPresent() && !r.get().isNull("watermark"));
  }

  public CompletionStage<LedgerPage> page(LedgerQuery q) {
    return months.get().thenCompose(ps -> session.selectAll(ps.bind(q.walletId()))).thenCompose(rows -> {
      List<String> ms = new ArrayList<>();
      String first = q.from() == null ? null : LedgerStore.month(q.from());
      String last = q.to() == null ? null : LedgerStore.month(q.to().minusMillis(1));
      String resume = q.after() == null ? null : q.after().month();
      for (Row r : rows) {
        String m = r.getString("month");
        if (first != null && m.compareTo(first) < 0) continue;
        if (last != null && m.compareTo(last) > 0) continue;
        if (resume != null && m.compareTo(resume) < 0) continue;
        ms.add(m);
      }
      ms.sort(null);
      return walk(q, ms, 0, q.after(), new ArrayList<>(), 0);
    });
  }

  private CompletionStage<LedgerPage> walk(
      LedgerQuery q, List<String> months, int i, LedgerQuery.Position pos, List<LedgerEntry> kept, int scanned) {
    if (i >= months.size()) return CompletableFuture.completedFuture(new LedgerPage(kept, null));
    String month = months.get(i);
    Instant from = q.from() == null ? Instant.EPOCH : q.from();
    Instant to = q.to() == null ? FAR_FUTURE : q.to();
    boolean inMonth = pos != null && pos.month().equals(month);
    int fetch = Math.min(FETCH, Math.max(q.limit() - kept.size(), 1) + 50);
    CompletionStage<List<Row>> read = inMonth
        ? fromPosition.get().thenCompose(ps -> session.selectAll(ps.bind(q.walletId(), month, pos.at(), pos.seq(), pos.idx(),
            to, fetch)))
        : fromStart.get().thenCompose(ps -> session.selectAll(ps.bind(q.walletId(), month, from, to, fetch)));
    return read.thenCompose(rows -> {
      LedgerQuery.Position last = pos;
      int seen = scanned;
      for (Row r : rows) {
        LedgerEntry e = entry(q.walletId(), r);
        last = new LedgerQuery.Position(month, e.at(), e.seq(), e.idx());
        seen++;
        if (q.matches(e)) {
          kept.add(e);
          if (kept.size() >= q.limit()) return CompletableFuture.completedFuture(new LedgerPage(kept, last));
        }
        if (seen >= SCAN_BUDGET) return CompletableFuture.completedFuture(new LedgerPage(kept, last));
      }
      if (rows.size() < fetch) return walk(q, months, i + 1, null, kept, seen);
      return walk(q, months, i, last, kept, seen);
    });
  }

  /**
   * The line of row {@code r}: from its one cell ({@link LedgerLineCell}) where it has one, else
   * from its columns (lines written by earlier builds, or with the line cell off).
   */
  static LedgerEntry entry(String walletId, Row r) {
    ByteBuffer cell = r.getByteBuffer("line");
    if (cell != null) return LedgerLineCell.decode(walletId, r.getLong("seq"), r.getInt("idx"), r.getInstant("at"), cell);
    return new LedgerEntry(walletId, r.getLong("seq"), r.getInt("idx"), r.getInstant("at"), r.getString("type"),
        r.getString("category"), r.getLong("amount"), r.getString("grant_id"), r.getString("reservation_id"),
        r.getString("sub_budget"), r.getString("reference"), r.getString("operation"),
        r.isNull("available") ? null : r.getLong("available"), r.getString("detail"));
  }

  /** Usage rows of the days from..to (inclusive), in key order. */
  public CompletionStage<Map<UsageKey, UsageTotals>> usage(String walletId, LocalDate from, LocalDate to) {
    return usage.get().thenCompose(ps -> session.selectAll(ps.bind(walletId, from, to))).thenApply(rows -> {
      Map<UsageKey, UsageTotals> out = new TreeMap<>(java.util.Comparator.comparing(UsageKey::day)
          .thenComparing(UsageKey::category).thenComparing(UsageKey::subBudget).thenComparing(UsageKey::operation));
      for (Row r : rows) out.merge(LedgerStore.usageKey(r), LedgerStore.usageTotals(r), UsageTotals::plus);
      return out;
    });
  }
}
