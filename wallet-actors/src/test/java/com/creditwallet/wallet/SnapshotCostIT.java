package com.creditwallet.wallet;

import static com.creditwallet.wallet.WalletAssertions.assertSameWallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.WalletState;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/**
 * Prints what one snapshot of a wallet with many open holds costs the node: bytes, and the time
 * to write and read it with each compression. Large snapshots were the bursts behind a hot
 * wallet's tail latency, and still take its node's CPU, now in the background
 * (docs/performance.md). Figures only: it checks that each snapshot reads
 * back the same and, compressed, stays under Cassandra's 16 MiB message limit; never a time.
 *
 * <p>{@code -Dsnapshot.holds=N} (default 20,000) and {@code -Dsnapshot.rounds=N} (default 5; the
 * best round is printed, the first ones warm the JIT).
 */
class SnapshotCostIT {
  private static final int HOLDS = Integer.getInteger("snapshot.holds", 20_000);
  private static final int ROUNDS = Integer.getInteger("snapshot.rounds", 5);
  private static final int CASSANDRA_MESSAGE_LIMIT = 16 * 1024 * 1024;

  @Test
  void printsWhatALargeSnapshotCosts() {
    WalletState state = WalletSerializationTest.walletWithHolds(HOLDS);
    assertEquals(HOLDS, state.reservations().size());
    for (String algorithm : List.of("off", "gzip", "lz4")) {
      ActorTestKit kit = ActorTestKit.create("SnapshotCost-" + algorithm, ConfigFactory.parseString(
          "pekko.serialization.jackson.jackson-cbor.compression.algorithm = " + algorithm)
          .withFallback(ConfigFactory.load()));
      try {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
        Serializer serializer = serialization.findSerializerFor(state);
        String manifest = Serializers.manifestFor(serializer, state);
        byte[] bytes = null;
        Object back = null;
        long bestWrite = Long.MAX_VALUE;
        long bestRead = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
          long t0 = System.nanoTime();
          bytes = serializer.toBinary(state);
          long t1 = System.nanoTime();
          back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
          long t2 = System.nanoTime();
          bestWrite = Math.min(bestWrite, t1 - t0);
          bestRead = Math.min(bestRead, t2 - t1);
        }
        System.out.printf("[snapshot] %,d open holds, compression %-4s: %,d bytes, written in %.1f ms, read in %.1f ms"
            + " (best of %d)%n", HOLDS, algorithm, bytes.length, bestWrite / 1e6, bestRead / 1e6, ROUNDS);
        assertSameWallet(state, (WalletState) back);
        // Uncompressed is printed for comparison only: it is why snapshots are compressed.
        if (!algorithm.equals("off")) assertTrue(bytes.length < CASSANDRA_MESSAGE_LIMIT, algorithm + ": over Cassandra's message limit");
      } finally {
        kit.shutdownTestKit();
      }
    }
  }
}
