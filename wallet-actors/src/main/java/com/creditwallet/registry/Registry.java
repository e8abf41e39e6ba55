package com.creditwallet.registry;

import com.creditwallet.wallet.domain.Definition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Plans and rate cards for the HTTP routes: reads come from this node's {@link DefinitionCache}
 * and ask the registry entity only on a miss (a definition this node has not seen yet, or one
 * that does not exist); writes go to the entity, which publishes them to every node.
 */
public final class Registry {
  private final ClusterSharding sharding;
  private final DefinitionCache cache;

  public Registry(ClusterSharding sharding, DefinitionCache cache) {
    this.sharding = sharding;
    this.cache = cache;
  }

  /** The definition, or a failed stage with the entity's Rejection (PLAN_NOT_FOUND, ...). */
  public CompletionStage<Definition> get(EntityTypeKey<RegistryEntity.Command> kind, String id, Duration timeout) {
    var hit = cache.get(kind, id);
    if (hit.isPresent()) return CompletableFuture.completedFuture(hit.get().definition());
    return sharding.entityRefFor(kind, id)
        .<DefinitionCache.Published>askWithStatus(RegistryEntity.Get::new, timeout)
        .thenApply(p -> {
          cache.remember(kind, id, p);
          return p.definition();
        });
  }

  /** Creates or replaces; once answered, this node reads the new one, others within moments. */
  public CompletionStage<Definition> define(
      EntityTypeKey<RegistryEntity.Command> kind, Definition definition, Duration timeout) {
    return sharding.entityRefFor(kind, definition.id())
        .<DefinitionCache.Published>askWithStatus(reply -> new RegistryEntity.Define(definition, reply), timeout)
        .thenApply(p -> {
          cache.remember(kind, definition.id(), p);
          return p.definition();
        });
  }
}
