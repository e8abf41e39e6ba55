package com.creditwallet.testing;

import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The bare actor system a store IT needs to reach Cassandra: one per test class, on the class's
 * keyspace, with the session the service's stores use. Kept in one place so the ITs start and
 * stop it the same way.
 */
public final class StoreItSystem {
  private StoreItSystem() {}

  public static ActorSystem<Void> start(Class<?> testClass, CassandraTestKeyspace keyspace) {
    return ActorSystem.create(Behaviors.empty(), testClass.getSimpleName(), keyspace.actorSystemConfig());
  }

  /** The session of the journal's plugin, which every store shares in the service. */
  public static CassandraSession session(ActorSystem<?> system) {
    return CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
  }

  /** Terminates {@code system} (null: it never started) and waits for it. */
  public static void stop(ActorSystem<?> system) throws Exception {
    if (system == null) return;
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
