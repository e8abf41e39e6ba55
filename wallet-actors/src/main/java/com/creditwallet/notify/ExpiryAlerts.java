package com.creditwallet.notify;

import com.creditwallet.cassandra.Prepared;
import com.creditwallet.ledger.ExpiryAlert;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The schedule of grant.expiring: no wallet event happens a lead time before a grant expires, so
 * the read side writes, for each grant with an expiry it sees issued (or extended), a row due at
 * {@code expiresAt - lead} in grant_expiry_alerts; {@link ExpiryAlertPoller} fires them.
 * Grants already expired when projected (a replay of old history) get no row.
 */
public final class ExpiryAlerts {
  /** A scheduled alert as read back. */
  public record Due(int slice, Instant dueAt, String walletId, String grantId, Instant expiresAt) {}

  private final CassandraSession session;
  private final int slices;
  private final Duration lead;
  private final Clock clock;
  private final Prepared insert;
  private final Prepared due;
  private final Prepared delete;

  public ExpiryAlerts(CassandraSession session, String keyspace, int slices, Duration lead, Clock clock) {
    this.session = session;
    this.slices = slices;
    this.lead = lead;
    this.clock = clock;
    insert = new Prepared(session, "INSERT INTO " + keyspace + ".grant_expiry_alerts (slice, due_at, wallet_id, grant_id,"
        + " expires_at) VALUES (?, ?, ?, ?, ?)");
    due = new Prepared(session, "SELECT due_at, wallet_id, grant_id, expires_at FROM " + keyspace
        + ".grant_expiry_alerts WHERE slice = ? AND due_at <= ? LIMIT 200");
    delete = new Prepared(session, "DELETE FROM " + keyspace + ".grant_expiry_alerts WHERE slice = ? AND due_at = ?"
        + " AND wallet_id = ? AND grant_id = ?");
  }

  public int slices() {
    return slices;
  }

  public Duration lead() {
    return lead;
  }

  public int sliceOf(String walletId) {
    return Math.floorMod(walletId.hashCode(), slices);
  }

  public CompletionStage<Done> schedule(List<ExpiryAlert> alerts) {
    if (alerts.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
    Instant now = clock.instant();
    return insert.get().thenCompose(ps -> {
      List<CompletionStage<Done>> writes = new ArrayList<>();
      for (ExpiryAlert a : alerts) {
        if (!a.expiresAt().isAfter(now)) continue;
        writes.add(session.executeWrite(ps.bind(sliceOf(a.walletId()), a.expiresAt().minus(lead), a.walletId(),
            a.grantId(), a.expiresAt())));
      }
      return allDone(writes);
    });
  }

  public CompletionStage<List<Due>> due(int slice, Instant now) {
    return due.get().thenCompose(ps -> session.selectAll(ps.bind(slice, now))).thenApply(rows -> {
      List<Due> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Due(slice, r.getInstant("due_at"), r.getString("wallet_id"), r.getString("grant_id"),
            r.getInstant("expires_at")));
      }
      return out;
    });
  }

  public CompletionStage<Done> done(Due d) {
    return delete.get().thenCompose(ps -> session.executeWrite(ps.bind(d.slice(), d.dueAt(), d.walletId(), d.grantId())));
  }

  private static CompletionStage<Done> allDone(List<CompletionStage<Done>> writes) {
    return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
  }
}
