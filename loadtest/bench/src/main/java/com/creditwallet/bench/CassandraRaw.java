package com.creditwallet.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario d: single-row inserts straight into the same local Cassandra node, with the same
 * DataStax driver 4.x the journal plugin uses, into a throwaway keyspace dropped afterwards.
 *
 * <p>Why it exists: every reservation the service accepts is at least one journal write, so
 * what one node takes of plain inserts at the same concurrency is the ceiling the service can
 * approach but not pass; the gap is what the service itself costs. Rows look like journal rows
 * (partition, sequence number, a ~100-byte payload) and are written at QUORUM like the journal.
 */
public final class CassandraRaw {

  private CassandraRaw() {}

  /** d, then d2 ({@link ReservationRows}). */
  public static List<Row> run(int cqlPort, BenchOptions options, ServerCpu serverCpu) throws InterruptedException {
    String keyspace = "bench_raw_" + System.currentTimeMillis();
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.QUORUM.name())
        .build();
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(new InetSocketAddress("127.0.0.1", cqlPort))
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(config)
        .build()) {
      com.datastax.oss.driver.api.core.cql.Row local =
          session.execute("SELECT release_version FROM system.local").one();
      String system = "Cassandra " + (local == null ? "" : local.getString("release_version") + " ") + "(raw)";
      session.execute("CREATE KEYSPACE " + keyspace
          + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE " + keyspace + ".messages (pid text, seq bigint, payload blob,"
          + " PRIMARY KEY (pid, seq))");
      try {
        List<Row> rows = new ArrayList<>();
        PreparedStatement insert =
            session.prepare("INSERT INTO " + keyspace + ".messages (pid, seq, payload) VALUES (?, ?, ?)");
        AtomicLong seq = new AtomicLong();
        byte[] payload = new byte[100];
        java.util.Arrays.fill(payload, (byte) 'x');
        Log.line("d. raw Cassandra inserts (keyspace " + keyspace + ", dropped afterwards) ...");
        LoadRunner.CpuWindow cpu = new LoadRunner.CpuWindow(serverCpu);
        LoadRunner.Outcome o = LoadRunner.run("d. raw Cassandra inserts", options.concurrency(),
            options.phaseWarmup(), options.seconds(), thread -> () -> {
              long n = seq.incrementAndGet();
              session.execute(insert.bind("p-" + (n % 1000), n, ByteBuffer.wrap(payload)));
              return 1;
            }, cpu);
        rows.add(measured(BenchMain.row("d", system, "single-row INSERT, QUORUM (RF 1)", o, ""), cpu));
        rows.add(ReservationRows.run(session, system, options, serverCpu));
        return rows;
      } finally {
        session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
      }
    }
  }

  static Row measured(Row r, LoadRunner.CpuWindow cpu) {
    return r.isMeasured() ? r.withServerCpu(cpu.usage()) : r;
  }
}
