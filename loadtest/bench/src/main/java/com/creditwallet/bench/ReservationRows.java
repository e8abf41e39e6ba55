package com.creditwallet.bench;

import com.creditwallet.ledger.LedgerEntry;
import com.creditwallet.ledger.LedgerLineCell;
import com.creditwallet.persistence.Schema;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario d2: only the rows that batch items make Cassandra write, in the service's own tables
 * (created from the same {@code cql/journal.cql} and {@code cql/readside.cql}), with nothing of
 * the service in front. Each call is one wallet's write of a batch (a 1,000-item batch over 100
 * wallets gives each wallet 10 items; a hot wallet's group commit writes about as many): ten
 * journal rows as the Pekko plugin writes them (CBOR events of a reservation's size) in one
 * unlogged batch, then, as the read side does once they are durable, their ten ledger lines in
 * another.
 *
 * <p>Why it exists: on one machine every ratio target is a CPU budget per operation, and these
 * rows are the store's share of c's. d's single-row inserts are the ceiling for one request per
 * reservation (b); grouped rows cost Cassandra far less each, so c needs this ceiling instead.
 * What Cassandra spends per item here is the least it can spend in c, whatever the node does.
 */
final class ReservationRows {
  /** Reservations per wallet write: a batch of 1,000 over 100 wallets gives each wallet 10. */
  static final int GROUP = 10;
  /** As many wallets as c. */
  static final int WALLETS = 100;
  /** The scenario's name in the report. */
  static final String SCENARIO =
      GROUP + " items' rows per call: journal batch, then ledger batch, " + WALLETS + " wallets";
  /** The CBOR of a single send's CreditsReserved is about this long (docs/performance.md). */
  static final int EVENT_BYTES = 371;

  private static final String MANIFEST = "com.creditwallet.wallet.domain.WalletEvent$CreditsReserved";
  /** Pekko's Jackson CBOR serializer's id, as the journal stores it. */
  private static final int SER_ID = 33;
  private static final DateTimeFormatter BUCKET = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

  private final CqlSession session;
  private final PreparedStatement journal;
  private final PreparedStatement line;
  private final String writer = UUID.randomUUID().toString();
  private final byte[] event = event();
  private final AtomicLong seq = new AtomicLong();

  private ReservationRows(CqlSession session, String keyspace) {
    this.session = session;
    // The plugin's own statement for an event without metadata.
    this.journal = session.prepare("INSERT INTO " + keyspace + ".messages (persistence_id, partition_nr, sequence_nr,"
        + " timestamp, timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, event, tags)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    // A single send's RESERVED line as LedgerStore writes it: its key and its one cell.
    this.line = session.prepare("INSERT INTO " + keyspace + ".ledger_entries (wallet_id, month, at, seq, idx, line)"
        + " VALUES (?, ?, ?, ?, ?, ?)");
  }

  /** Runs d2 in a keyspace of its own, dropped afterwards. */
  static Row run(CqlSession session, String system, BenchOptions options, ServerCpu serverCpu)
      throws InterruptedException {
    String keyspace = "bench_rows_" + System.currentTimeMillis();
    for (String cql : tables(keyspace)) session.execute(cql);
    try {
      ReservationRows rows = new ReservationRows(session, keyspace);
      Log.line("d2. only the rows of " + GROUP + " batch items of one wallet: journal batch, then ledger batch"
          + " (keyspace " + keyspace + ", dropped afterwards) ...");
      LoadRunner.CpuWindow cpu = new LoadRunner.CpuWindow(serverCpu);
      // Cassandra and this client's driver are warm from d: the short warm-up of PostgreSQL and Redis.
      LoadRunner.Outcome o = LoadRunner.run("d2. a wallet's rows of a batch", options.concurrency(),
          options.nativeWarmup(), options.seconds(), thread -> rows::group, cpu);
      String note = "items/s; latency per call of " + GROUP + " items' rows";
      return CassandraRaw.measured(BenchMain.row("d2", system, SCENARIO, o, note), cpu);
    } finally {
      session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
    }
  }

  /** The keyspace and the two tables, from the service's own schema files. */
  static List<String> tables(String keyspace) {
    List<String> out = new ArrayList<>(Schema.statements("keyspace.cql", keyspace, 1));
    out.add(create(Schema.statements("journal.cql", keyspace, 1), keyspace + ".messages"));
    out.add(create(Schema.statements("readside.cql", keyspace, 1), keyspace + ".ledger_entries"));
    return out;
  }

  private static String create(List<String> statements, String table) {
    return statements.stream().filter(s -> s.contains("CREATE TABLE IF NOT EXISTS " + table + " ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no CREATE TABLE for " + table + " in the schema files"));
  }

  /** A batch's (and a hot wallet's) shape: {@link #GROUP} reservations of one of {@link #WALLETS} wallets. */
  private int group() {
    long first = seq.getAndAdd(GROUP) + 1;
    String wallet = "w-" + ((first / GROUP) % WALLETS);
    Instant at = Instant.now();
    BatchStatementBuilder events = BatchStatement.builder(BatchType.UNLOGGED);
    BatchStatementBuilder lines = BatchStatement.builder(BatchType.UNLOGGED);
    for (int i = 0; i < GROUP; i++) {
      events.addStatement(journalRow(wallet, first + i, at));
      lines.addStatement(ledgerLine(wallet, first + i, at));
    }
    session.execute(events.build());
    session.execute(lines.build());
    return GROUP;
  }

  private BoundStatement journalRow(String wallet, long n, Instant at) {
    return journal.bind("Wallet|" + wallet, 0L, n, Uuids.timeBased(), BUCKET.format(at), writer, SER_ID, MANIFEST, "",
        ByteBuffer.wrap(event), Set.<String>of());
  }

  private BoundStatement ledgerLine(String wallet, long n, Instant at) {
    LedgerEntry e = new LedgerEntry(wallet, n, 0, at, LedgerEntry.RESERVED, "sms", 1L, "pkg-1", "r-" + n, null, null, null,
        1_000_000L - n, "HOLD");
    return line.bind(wallet, MONTH.format(at), at, n, 0, LedgerLineCell.encode(e));
  }

  /** Text-like bytes, so Cassandra's compression sees what it sees in CBOR (field names repeat). */
  private static byte[] event() {
    byte[] seed = "type CreditsReserved at reservationId r-1 draws category sms amount 1 grantId pkg-1 "
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[EVENT_BYTES];
    for (int i = 0; i < out.length; i++) out[i] = seed[i % seed.length];
    return out;
  }
}
