package com.creditwallet.gateway.auth;

import com.creditwallet.cassandra.Prepared;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Account keys in Cassandra (tables in {@code cql/api_keys.cql}): {@code api_keys} by key id (the
 * lookups), {@code api_keys_by_wallet} (the listings) and {@code api_key_changes}, a short-lived
 * log of mints and revocations partitioned by day that every node polls. A mint or a revocation
 * writes all three in one logged batch, so none of them is ever missing for long. It shares the
 * journal's driver session.
 */
public final class CassandraApiKeyStore implements ApiKeyStore {
  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final Prepared insertKey;
  private final Prepared insertByWallet;
  private final Prepared insertChange;
  private final Prepared revokeKey;
  private final Prepared revokeByWallet;
  private final Prepared find;
  private final Prepared list;
  private final Prepared all;
  private final Prepared changes;

  public CassandraApiKeyStore(ActorSystem<?> system, String keyspace) {
    this.system = system;
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    String ks = keyspace + ".";
    insertKey = new Prepared(session, "INSERT INTO " + ks
        + "api_keys (key_id, wallet_id, key_hash, name, created_at) VALUES (?, ?, ?, ?, ?)");
    insertByWallet = new Prepared(session, "INSERT INTO " + ks
        + "api_keys_by_wallet (wallet_id, key_id, name, created_at) VALUES (?, ?, ?, ?)");
    insertChange = new Prepared(session, "INSERT INTO " + ks
        + "api_key_changes (day, changed_at, key_id, revoked, wallet_id, key_hash) VALUES (?, ?, ?, ?, ?, ?)");
    revokeKey = new Prepared(session, "UPDATE " + ks + "api_keys SET revoked_at = ? WHERE key_id = ?");
    revokeByWallet = new Prepared(session, "UPDATE " + ks + "api_keys_by_wallet SET revoked_at = ? WHERE wallet_id = ? AND key_id = ?");
    find = new Prepared(session, "SELECT key_id, wallet_id, key_hash, name, created_at, revoked_at FROM " + ks + "api_keys WHERE key_id = ?");
    list = new Prepared(session, "SELECT key_id, wallet_id, name, created_at, revoked_at FROM " + ks + "api_keys_by_wallet WHERE wallet_id = ?");
    all = new Prepared(session, "SELECT key_id, wallet_id, key_hash, name, created_at, revoked_at FROM " + ks + "api_keys");
    changes = new Prepared(session, "SELECT key_id, revoked, wallet_id, key_hash FROM " + ks
        + "api_key_changes WHERE day = ? AND changed_at > ?");
  }

  @Override
  public CompletionStage<Void> insert(ApiKeyStore.KeyRow row) {
    StoredKey k = row.key();
    return insertKey.get().thenCombine(insertByWallet.get(), (a, b) -> List.of(a, b)).thenCombine(insertChange.get(), (ab, c) ->
            BatchStatement.newInstance(DefaultBatchType.LOGGED,
                ab.get(0).bind(k.keyId(), k.walletId(), ByteBuffer.wrap(k.hash()), row.name(), row.createdAt()),
                ab.get(1).bind(k.walletId(), k.keyId(), row.name(), row.createdAt()),
                change(c, row.createdAt(), k)))
        .thenCompose(session::executeWriteBatch)
        .thenApply(done -> null);
  }

  @Override
  public CompletionStage<Void> revoke(ApiKeyStore.KeyRow row, Instant at) {
    StoredKey k = row.key().revokedCopy();
    return revokeKey.get().thenCombine(revokeByWallet.get(), (a, b) -> List.of(a, b)).thenCombine(insertChange.get(), (ab, c) ->
            BatchStatement.newInstance(DefaultBatchType.LOGGED,
                ab.get(0).bind(at, k.keyId()),
                ab.get(1).bind(at, k.walletId(), k.keyId()),
                change(c, at, k)))
        .thenCompose(session::executeWriteBatch)
        .thenApply(done -> null);
  }

  private static com.datastax.oss.driver.api.core.cql.BoundStatement change(PreparedStatement ps, Instant at, StoredKey k) {
    return ps.bind((int) day(at), at, k.keyId(), k.revoked(), k.walletId(), ByteBuffer.wrap(k.hash()));
  }

  @Override
  public CompletionStage<Optional<ApiKeyStore.KeyRow>> find(String keyId) {
    return find.get().thenCompose(ps -> session.selectOne(ps.bind(keyId))).thenApply(r -> r.map(CassandraApiKeyStore::row));
  }

  @Override
  public CompletionStage<List<ApiKeyInfo>> list(String walletId) {
    return list.get().thenCompose(ps -> session.selectAll(ps.bind(walletId))).thenApply(rows -> {
      List<ApiKeyInfo> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new ApiKeyInfo(r.getString("key_id"), r.getString("wallet_id"), r.getString("name"),
            r.getInstant("created_at"), r.getInstant("revoked_at")));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<Void> loadAll(Consumer<StoredKey> each) {
    return all.get().thenCompose(ps -> session.select(ps.bind()).runForeach(r -> each.accept(row(r).key()), system))
        .thenApply(done -> null);
  }

  @Override
  public CompletionStage<List<StoredKey>> changesSince(Instant since, Instant now) {
    List<CompletableFuture<List<Row>>> days = new ArrayList<>();
    for (long d = day(since); d <= day(now); d++) {
      long day = d;
      days.add(changes.get().thenCompose(ps -> session.selectAll(ps.bind((int) day, since))).toCompletableFuture());
    }
    return CompletableFuture.allOf(days.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<StoredKey> out = new ArrayList<>();
      for (CompletableFuture<List<Row>> d : days) {
        for (Row r : d.join()) {
          out.add(new StoredKey(r.getString("key_id"), r.getString("wallet_id"), bytes(r.getByteBuffer("key_hash")),
              r.getBoolean("revoked")));
        }
      }
      return out;
    });
  }

  /** The change log's partition: the UTC day of the change. */
  static long day(Instant at) {
    return at.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
  }

  private static ApiKeyStore.KeyRow row(Row r) {
    Instant revokedAt = r.getInstant("revoked_at");
    StoredKey key = new StoredKey(r.getString("key_id"), r.getString("wallet_id"), bytes(r.getByteBuffer("key_hash")),
        revokedAt != null);
    return new ApiKeyStore.KeyRow(key, r.getString("name"), r.getInstant("created_at"), revokedAt);
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) return new byte[0];
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
