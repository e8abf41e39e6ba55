package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.creditwallet.serialization.WalletCborSerializer;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletState;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;

/**
 * The node's configuration (application.conf) serializes wallet states, events and messages with
 * {@link WalletCborSerializer} under jackson-cbor's identifier, whatever the classpath order of
 * the reference.conf files.
 */
class SnapshotSerializerConfigTest {
  @Test
  void theNodeWritesSnapshotsWithWalletCborSerializerAsJacksonCbor() throws Exception {
    ActorTestKit kit = ActorTestKit.create("SnapshotSerializerConfigTest",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    try {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
      for (Class<?> type : new Class<?>[] {WalletState.class, WalletEvent.GrantIssued.class}) {
        assertInstanceOf(WalletCborSerializer.class, serialization.serializerFor(type), type.getName());
        assertEquals(33, serialization.serializerFor(type).identifier());
      }
    } finally {
      kit.shutdownTestKit();
    }
  }
}
