package com.creditwallet.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WalletCborSerializer} against Pekko's own CBOR serializer, each on a node of its own, as
 * a node of this build and one of an earlier build during a rolling upgrade: the same bytes, and
 * each reads what the other wrote.
 */
class WalletCborSerializerTest {
  /** A payload of a given size in CBOR and a given estimate of it. */
  record Text(String text, long hint) implements LargeCborSerializable {
    @Override
    public long estimatedCborBytes() {
      return hint;
    }
  }

  static final String OURS = "pekko.actor.serializers.jackson-cbor = \"" + WalletCborSerializer.class.getName() + "\"";

  static ActorTestKit pekkoNode;
  static ActorTestKit ourNode;
  static Serializer pekko;
  static Serializer ours;

  @BeforeAll
  static void start() {
    pekkoNode = ActorTestKit.create("PekkosCborSerializer", ConfigFactory.load());
    ourNode = ActorTestKit.create("WalletCborSerializer", ConfigFactory.parseString(OURS).withFallback(ConfigFactory.load()));
    pekko = serialization(pekkoNode).findSerializerFor(text(10, 0));
    ours = serialization(ourNode).findSerializerFor(text(10, 0));
  }

  @AfterAll
  static void stop() {
    pekkoNode.shutdownTestKit();
    ourNode.shutdownTestKit();
  }

  static Serialization serialization(ActorTestKit kit) {
    return SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  /** Repetitive text, as a wallet's holds are: it compresses well. */
  static Text text(int bytes, long hint) {
    StringBuilder s = new StringBuilder(bytes);
    for (int i = 0; s.length() < bytes; i++) s.append("{\"reservationId\":\"r-").append(i).append("\",\"status\":\"HELD\"}");
    return new Text(s.substring(0, bytes), hint);
  }

  @Test
  void itTakesTheBindingsPlaceAndIdentifier() {
    assertInstanceOf(WalletCborSerializer.class, ours);
    assertEquals("JacksonCborSerializer", pekko.getClass().getSimpleName());
    assertEquals(33, ours.identifier(), "jackson-cbor's identifier, which every stored snapshot names");
    assertEquals(Serializers.manifestFor(pekko, text(10, 0)), Serializers.manifestFor(ours, text(10, 0)));
  }

  @Test
  void aLargePayloadIsWrittenByteForByteAsPekkoWritesIt() {
    Text large = text(2_000_000, 2_100_000);
    byte[] written = ours.toBinary(large);
    assertArrayEquals(pekko.toBinary(large), written);
    assertTrue((written[0] & 0xff) == 0x87 && (written[1] & 0xff) == 0xD9, "Pekko's LZ4 frame");
    assertTrue(written.length < 1_000_000, "compressed");
    assertEquals(large, roundTrip(written, ourNode));
    assertEquals(large, roundTrip(written, pekkoNode));
    assertEquals(large, roundTrip(pekko.toBinary(large), ourNode));
  }

  @Test
  void anEstimateFarTooSmallOnlyCostsCopies() {
    Text large = text(3_000_000, WalletCborSerializer.LARGE_BYTES);
    assertArrayEquals(pekko.toBinary(large), ours.toBinary(large));
  }

  @Test
  void smallPayloadsTakePekkosPath() {
    for (Text t : new Text[] {text(100, 100), text(100_000, 100_000), text(1_000_000, WalletCborSerializer.LARGE_BYTES - 1)}) {
      assertArrayEquals(pekko.toBinary(t), ours.toBinary(t));
    }
  }

  /** Under the binding's compress-larger-than (32 KiB) a large payload is left uncompressed, as Pekko leaves it. */
  @Test
  void aLargeEstimateOfASmallPayloadIsNotCompressed() {
    Text t = text(1_000, WalletCborSerializer.LARGE_BYTES);
    byte[] written = ours.toBinary(t);
    assertArrayEquals(pekko.toBinary(t), written);
    assertEquals(t, roundTrip(written, pekkoNode));
  }

  /** With another algorithm configured, the payload is compressed as Pekko compresses it. */
  @Test
  void gzipWhenTheBindingSaysGzip() {
    Config gzip = ConfigFactory.parseString("pekko.serialization.jackson.jackson-cbor.compression.algorithm = gzip");
    ActorTestKit ourGzipNode = ActorTestKit.create("WalletCborSerializerGzip",
        gzip.withFallback(ConfigFactory.parseString(OURS)).withFallback(ConfigFactory.load()));
    try {
      Text large = text(2_000_000, 2_100_000);
      byte[] written = serialization(ourGzipNode).findSerializerFor(large).toBinary(large);
      assertTrue((written[0] & 0xff) == 0x1f && (written[1] & 0xff) == 0x8b, "gzip");
      assertEquals(large, roundTrip(written, pekkoNode));
    } finally {
      ourGzipNode.shutdownTestKit();
    }
  }

  /** Bytes that do not fit a quarter of their size are compressed again with room for all of them. */
  @Test
  void incompressibleBytesStillMakePekkosFrame() {
    byte[] noise = new byte[300_000];
    new Random(8).nextBytes(noise);
    byte[] frame = WalletCborSerializer.lz4Frame(noise, noise.length);
    assertArrayEquals(((JacksonSerializer) pekko).compress(noise), frame);
    assertArrayEquals(noise, ((JacksonSerializer) pekko).decompress(frame));
  }

  static Object roundTrip(byte[] bytes, ActorTestKit reader) {
    return serialization(reader).deserialize(bytes, 33, Serializers.manifestFor(pekko, text(10, 0))).get();
  }
}
