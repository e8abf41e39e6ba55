package com.creditwallet.snapshot;

import com.creditwallet.cassandra.Prepared;
import com.creditwallet.persistence.Schema;
import com.typesafe.config.Config;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Prunes the snapshot store's table ({@code pekko.persistence.cassandra.snapshot.keyspace/table})
 * with one range delete per call, on the journal's driver session and write profile. The table is
 * keyed {@code (persistence_id, sequence_nr)}, so the delete is one range tombstone in one
 * partition, as cheap as the plugin's own deletes.
 */
public final class CassandraSnapshotPruner implements SnapshotPruner {
  private final CassandraSession session;
  private final Prepared delete;
  private final String writeProfile;

  public CassandraSnapshotPruner(ActorSystem<?> system) {
    Config c = system.settings().config().getConfig("pekko.persistence.cassandra");
    String table = Schema.validateKeyspace(c.getString("snapshot.keyspace")) + "." + c.getString("snapshot.table");
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    this.writeProfile = c.getString("write-profile");
    this.delete = new Prepared(session, "DELETE FROM " + table + " WHERE persistence_id = ? AND sequence_nr < ?");
  }

  @Override
  public CompletionStage<Done> deleteBefore(String persistenceId, long sequenceNr) {
    return delete.get().thenCompose(ps -> session.executeWrite(
        ps.bind(persistenceId, sequenceNr).setExecutionProfileName(writeProfile)));
  }
}
