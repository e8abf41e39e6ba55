package com.creditwallet.ledger;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The read side's writes and the feeds' own reads (the wallet's read state, its current
 * usage totals, its reservations' details) in Cassandra. Ledger lines are plain upserts keyed by
 * (at, seq, idx), so writing them twice is harmless; usage totals are absolute values written
 * together with the watermark (see readside.cql), never increments.
 */
public final class LedgerStore {
  static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

  private final CassandraSession session;
  /** Whether lines are written as one cell ({@link LedgerLineCell}) or, as before, a column per value. */
  private final boolean lineCell;
  private final Prepared insertLine;
  private final Prepared insertMonth;
  private final Prepared insertReservation;
  private final Prepared selectReservations;
  private final Prepared selectState;
  private final Prepared selectTotals;
  private final Prepared upsertTotals;
  private final Prepared upsertState;
  private final Prepared upsertWatermark;

  /** A store writing each ledger line as one cell. */
  public LedgerStore(CassandraSession session, String keyspace) {
    this(session, keyspace, true);
  }

  /**
   * {@code lineCell} false writes a column per value, as builds before the line cell did, so that
   * nodes of such a build, which read only the columns, list every line during a rolling upgrade.
   * Either shape is read by {@link LedgerQueries}.
   */
  public LedgerStore(CassandraSession session, String keyspace, boolean lineCell) {
    this.session = session;
    this.lineCell = lineCell;
    insertLine = lineCell
        ? new Prepared(session, "INSERT INTO " + keyspace + ".ledger_entries (wallet_id, month, at, seq, idx, line)"
            + " VALUES (?, ?, ?, ?, ?, ?)")
        : new Prepared(session, "INSERT INTO " + keyspace + ".ledger_entries (wallet_id, month, at, seq, idx, type,"
            + " category, amount, grant_id, reservation_id, sub_budget, reference, operation, available, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertMonth = new Prepared(session, "INSERT INTO " + keyspace + ".ledger_months (wallet_id, month) VALUES (?, ?)");
    insertReservation = new Prepared(session, "INSERT INTO " + keyspace + ".ledger_reservations (wallet_id, reservation_id,"
        + " sub_budget, reference, operation) VALUES (?, ?, ?, ?, ?)");
    selectReservations = new Prepared(session, "SELECT reservation_id, sub_budget, reference, operation FROM " + keyspace
        + ".ledger_reservations WHERE wallet_id = ? AND reservation_id IN ?");
    selectState = new Prepared(session, "SELECT watermark, time_zone, thresholds, unlimited, low, depleted FROM " + keyspace
        + ".usage_totals WHERE wallet_id = ? LIMIT 1");
    selectTotals = new Prepared(session, "SELECT day, category, sub_budget, operation, granted, committed, refunded,"
        + " released, expired FROM " + keyspace + ".usage_totals WHERE wallet_id = ? AND day IN ?");
    upsertTotals = new Prepared(session, "UPDATE " + keyspace + ".usage_totals SET granted = ?, committed = ?, refunded = ?,"
        + " released = ?, expired = ? WHERE wallet_id = ? AND day = ? AND category = ? AND sub_budget = ? AND operation = ?");
    upsertState = new Prepared(session, "UPDATE " + keyspace + ".usage_totals SET watermark = ?, time_zone = ?, thresholds = ?,"
        + " unlimited = ?, low = ?, depleted = ? WHERE wallet_id = ?");
    upsertWatermark = new Prepared(session, "UPDATE " + keyspace + ".usage_totals SET watermark = ? WHERE wallet_id = ?");
  }

  public static String month(java.time.Instant at) {
    String fast = com.creditwallet.serialization.IsoInstant.month(at);
    return fast != null ? fast : MONTH.format(at);
  }

  /** The wallet's read state; {@link WalletReadState#NEW} before its first event was counted. */
  public CompletionStage<WalletReadState> state(String walletId) {
    return selectState.get().thenCompose(ps -> session.selectOne(ps.bind(walletId))).thenApply(o -> o.map(LedgerStore::state)
        .orElse(WalletReadState.NEW));
  }

  private static WalletReadState state(Row r) {
    if (r.isNull("watermark")) return WalletReadState.NEW;
    return new WalletReadState(r.getLong("watermark"), r.getString("time_zone"),
        r.getMap("thresholds", String.class, Long.class), r.getSet("unlimited", String.class),
        r.getSet("low", String.class), r.getSet("depleted", String.class));
  }

  /** The stored totals of the given days. */
  public CompletionStage<Map<UsageKey, UsageTotals>> totals(String walletId, Set<LocalDate> days) {
    if (days.isEmpty()) return CompletableFuture.completedFuture(Map.of());
    return selectTotals.get().thenCompose(ps -> session.selectAll(ps.bind(walletId, new ArrayList<>(days)))).thenApply(rows -> {
      Map<UsageKey, UsageTotals> out = new HashMap<>();
      for (Row r : rows) out.put(usageKey(r), usageTotals(r));
      return out;
    });
  }

  static UsageKey usageKey(Row r) {
    return new UsageKey(r.getLocalDate("day"), r.getString("category"), r.getString("sub_budget"), r.getString("operation"));
  }

  static UsageTotals usageTotals(Row r) {
    return new UsageTotals(r.getLong("granted"), r.getLong("committed"), r.getLong("refunded"), r.getLong("released"),
        r.getLong("expired"));
  }

  /** Sub-budget, reference and operation of the reservations named (absent ones are left out). */
  public CompletionStage<Map<String, ReservationInfo>> reservations(String walletId, Set<String> ids) {
    if (ids.isEmpty()) return CompletableFuture.completedFuture(Map.of());
    return selectReservations.get().thenCompose(ps -> session.selectAll(ps.bind(walletId, new ArrayList<>(ids))))
        .thenApply(rows -> {
          Map<String, ReservationInfo> out = new HashMap<>();
          for (Row r : rows) {
            out.put(r.getString("reservation_id"),
                new ReservationInfo(r.getString("sub_budget"), r.getString("reference"), r.getString("operation")));
          }
          return out;
        });
  }

  /**
   * Writes ledger lines (each as one cell unless built with {@code lineCell} false; in unlogged
   * batches of one partition each, which Cassandra applies as one mutation), the months they
   * fall in, and the reservations opened.
   */
  public CompletionStage<Done> writeLines(
      String walletId, List<LedgerEntry> lines, Set<String> newMonths, Map<String, ReservationInfo> opened) {
    return insertLine.get().thenCompose(line -> insertMonth.get().thenCompose(month -> insertReservation.get().thenCompose(res -> {
      List<CompletionStage<Done>> writes = new ArrayList<>();
      Map<String, BatchStatementBuilder> byMonth = new LinkedHashMap<>();
      for (LedgerEntry e : lines) {
        String m = month(e.at());
        BatchStatementBuilder b = byMonth.computeIfAbsent(m, k -> BatchStatement.builder(BatchType.UNLOGGED));
        // A line is derived from its event, so a rewrite (a replay) has the same values: unset is safe.
        b.addStatement(lineCell
            ? insertLine.bindPresent(line, walletId, m, e.at(), e.seq(), e.idx(), LedgerLineCell.encode(e))
            : insertLine.bindPresent(line, walletId, m, e.at(), e.seq(), e.idx(), e.type(), e.category(), e.amount(),
                e.grantId(), e.reservationId(), e.subBudget(), e.reference(), e.operation(), e.available(), e.detail()));
        if (b.getStatementsCount() >= 50) writes.add(session.executeWriteBatch(byMonth.remove(m).build()));
      }
      for (BatchStatementBuilder b : byMonth.values()) writes.add(session.executeWriteBatch(b.build()));
      for (String m : newMonths) writes.add(session.executeWrite(month.bind(walletId, m)));
      for (Map.Entry<String, ReservationInfo> r : opened.entrySet()) {
        ReservationInfo i = r.getValue();
        // A reservation without sub-budget, reference or operation needs no row: a missing row
        // reads back as UNKNOWN, which says the same. Most single sends are like that.
        if (i.equals(ReservationInfo.UNKNOWN)) continue;
        writes.add(session.executeWrite(
            insertReservation.bindPresent(res, walletId, r.getKey(), i.subBudget(), i.reference(), i.operation())));
      }
      return allDone(writes);
    })));
  }

  /**
   * Writes the new totals of the touched rows and the wallet's read state (with its watermark) in
   * one single-partition batch: either the events are counted and marked counted, or neither.
   * Knowing the state stored before ({@code previous}, null if not known), a group that moved only
   * the watermark, as most do, writes only the watermark: rewriting the time zone, thresholds and
   * the three sets on every group cost Cassandra a tombstone per collection each time (a whole
   * collection written replaces the one before), for values that had not changed.
   */
  public CompletionStage<Done> commit(
      String walletId, Map<UsageKey, UsageTotals> totals, WalletReadState s, WalletReadState previous) {
    boolean onlyWatermark = previous != null && s.withWatermark(previous.watermark()).equals(previous);
    return upsertTotals.get().thenCompose(t -> (onlyWatermark ? upsertWatermark : upsertState).get().thenCompose(st -> {
      // One partition: Cassandra applies it as one mutation, without the batch log.
      BatchStatementBuilder b = BatchStatement.builder(BatchType.LOGGED);
      for (Map.Entry<UsageKey, UsageTotals> e : totals.entrySet()) {
        UsageKey k = e.getKey();
        UsageTotals v = e.getValue();
        b.addStatement(t.bind(v.granted(), v.committed(), v.refunded(), v.released(), v.expired(), walletId, k.day(),
            k.category(), k.subBudget(), k.operation()));
      }
      b.addStatement(onlyWatermark ? st.bind(s.watermark(), walletId)
          : st.bind(s.watermark(), s.timeZone(), s.thresholds(), s.unlimited(), s.low(), s.depleted(), walletId));
      return session.executeWriteBatch(b.build());
    }));
  }

  static CompletionStage<Done> allDone(List<CompletionStage<Done>> writes) {
    return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
  }
}
