package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.serialization.IsoInstantModule;
import com.creditwallet.wallet.domain.WalletEvent;
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
import org.junit.jupiter.api.Test;

/**
 * The node's configuration (application.conf) makes Pekko's CBOR serializer write instants with
 * {@link IsoInstantModule}: registered after JavaTimeModule, whatever the classpath order of the
 * reference.conf files. Events written that way read back equal.
 */
class InstantSerializationConfigTest {
  @Test
  void theNodesCborMapperWritesInstantsWithIsoInstantModule() throws Exception {
    ActorTestKit kit = ActorTestKit.create("InstantSerializationConfigTest",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    try {
      ObjectMapper cbor = JacksonObjectMapperProvider.get(Adapter.toClassic(kit.system()))
          .getOrCreate("jackson-cbor", Optional.empty());
      String writer = cbor.getSerializerProviderInstance().findValueSerializer(Instant.class).getClass().getName();
      assertEquals(IsoInstantModule.class.getName() + "$Serializer", writer);

      Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
      WalletEvent.GrantIssued event = new WalletEvent.GrantIssued(Instant.parse("2026-12-05T14:37:52.000120Z"), "g-1",
          "sms", com.creditwallet.wallet.domain.GrantSource.TOPUP, 100, 0, Instant.parse("2027-01-01T00:00:00Z"), 1, 0,
          List.of(), null, Map.of("sms", 100L));
      Serializer serializer = serialization.findSerializerFor(event);
      Object back = serialization.deserialize(serializer.toBinary(event), serializer.identifier(),
          Serializers.manifestFor(serializer, event)).get();
      assertEquals(event, back);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
