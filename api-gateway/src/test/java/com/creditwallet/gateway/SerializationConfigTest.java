package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.creditwallet.serialization.IsoInstantModule;
import com.creditwallet.serialization.WalletCborSerializer;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the node's configuration (application.conf) sets for serialization takes effect whatever
 * the classpath order of the reference.conf files: instants written by {@link IsoInstantModule}
 * (registered after JavaTimeModule), and {@link WalletCborSerializer} in jackson-cbor's place.
 */
class SerializationConfigTest {
  static ActorTestKit kit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("SerializationConfigTest",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void theNodesCborMapperWritesInstantsWithIsoInstantModule() throws Exception {
    ObjectMapper cbor = JacksonObjectMapperProvider.get(Adapter.toClassic(kit.system()))
        .getOrCreate("jackson-cbor", Optional.empty());
    String writer = cbor.getSerializerProviderInstance().findValueSerializer(Instant.class).getClass().getName();
    assertEquals(IsoInstantModule.class.getName() + "$Serializer", writer);

    WalletEvent.GrantIssued event = new WalletEvent.GrantIssued(Instant.parse("2026-12-05T14:37:52.000120Z"), "g-1",
        "sms", com.creditwallet.wallet.domain.GrantSource.TOPUP, 100, 0, Instant.parse("2027-01-01T00:00:00Z"), 1, 0,
        List.of(), null, Map.of("sms", 100L));
    Serializer serializer = serialization.findSerializerFor(event);
    Object back = serialization.deserialize(serializer.toBinary(event), serializer.identifier(),
        Serializers.manifestFor(serializer, event)).get();
    assertEquals(event, back);
  }

  @Test
  void theNodeWritesSnapshotsAndEventsWithWalletCborSerializerAsJacksonCbor() throws Exception {
    for (Class<?> type : new Class<?>[] {WalletState.class, WalletEvent.GrantIssued.class}) {
      assertInstanceOf(WalletCborSerializer.class, serialization.serializerFor(type), type.getName());
      assertEquals(33, serialization.serializerFor(type).identifier(), "jackson-cbor's identifier");
    }
  }
}
