package com.creditwallet.registry;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.domain.Definition;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * This node's copy of every plan and rate card, so that reservations and estimates in the
 * operation form read them from memory instead of asking one registry entity on one node (a
 * single point of failure and a hot spot for the whole cluster's traffic).
 *
 * <p>The {@link RegistryEntity} stays the only writer and the durable source; after each change
 * (and after its recovery) it publishes the definition with its revision into a Pekko Distributed
 * Data map replicated to every node (written to a majority at once, gossiped to the rest). A node
 * keeps the newest revision it has seen, so a late or repeated copy never replaces a newer one,
 * whichever node wrote it. Distributed Data lives in memory: after a full cluster restart the
 * map starts empty and a miss is answered by the entity, which publishes again.
 */
public final class DefinitionCache {
  /** A definition with its revision in the registry entity (the number of changes so far). */
  public record Published(long revision, Definition definition) implements CborSerializable {}

  static final Key<LWWMap<String, Published>> KEY = LWWMapKey.create("wallet-definitions");

  private sealed interface Msg {}

  private record Publish(String key, Published published) implements Msg {}

  private record Changed(Map<String, Published> entries) implements Msg {}

  private record Written(Replicator.UpdateResponse<LWWMap<String, Published>> response) implements Msg {}

  private final ConcurrentHashMap<String, Published> local = new ConcurrentHashMap<>();
  private volatile ActorRef<Msg> replicator;

  private DefinitionCache() {}

  /** Starts the node's cache, subscribed to the replicated map. */
  public static DefinitionCache start(ActorSystem<?> system, Duration writeTimeout) {
    DefinitionCache cache = new DefinitionCache();
    cache.replicator = system.systemActorOf(cache.behavior(writeTimeout), "wallet-definitions", Props.empty());
    return cache;
  }

  /** A cache of this node only, for tests without a cluster. */
  public static DefinitionCache localOnly() {
    return new DefinitionCache();
  }

  static String key(EntityTypeKey<?> kind, String id) {
    return kind.name() + "/" + id;
  }

  public Optional<Published> get(EntityTypeKey<?> kind, String id) {
    return Optional.ofNullable(local.get(key(kind, id)));
  }

  /** Keeps {@code p} here at once if newer, and replicates it to every node. */
  public void publish(EntityTypeKey<?> kind, String id, Published p) {
    remember(key(kind, id), p);
    ActorRef<Msg> r = replicator;
    if (r != null) r.tell(new Publish(key(kind, id), p));
  }

  /** Keeps {@code p} on this node only, if newer than what it has. */
  public void remember(EntityTypeKey<?> kind, String id, Published p) {
    remember(key(kind, id), p);
  }

  private void remember(String key, Published p) {
    local.merge(key, p, (old, n) -> n.revision() > old.revision() ? n : old);
  }

  private Behavior<Msg> behavior(Duration writeTimeout) {
    return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Msg, LWWMap<String, Published>> adapter) -> {
          SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
          adapter.subscribe(KEY, rsp -> rsp instanceof Replicator.Changed<LWWMap<String, Published>> c
              ? new Changed(c.get(KEY).getEntries())
              : new Changed(Map.of()));
          return Behaviors.receive(Msg.class)
              .onMessage(Changed.class, c -> {
                c.entries().forEach(this::remember);
                return Behaviors.same();
              })
              .onMessage(Publish.class, p -> {
                // The revision is the register's timestamp: the highest revision wins on merge.
                adapter.askUpdate(
                    replyTo -> new Replicator.Update<>(KEY, LWWMap.empty(), new Replicator.WriteMajority(writeTimeout),
                        replyTo, map -> map.put(self, p.key(), p.published(), (current, value) -> value.revision())),
                    Written::new);
                return Behaviors.same();
              })
              .onMessage(Written.class, w -> {
                // Not written to a majority in time: it is applied here and gossip spreads it.
                if (!(w.response() instanceof Replicator.UpdateSuccess)) {
                  ctx.getLog().debug("definition update not yet on a majority: {}", w.response());
                }
                return Behaviors.same();
              })
              .build();
        }));
  }
}
