package com.creditwallet.wallet;

import static com.creditwallet.wallet.WalletAssertions.assertSameWallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.Decision;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantRules;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationRules;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletState;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
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
 * to write and read it with each compression. Large snapshots are the bursts behind a hot
 * wallet's tail latency (README, Benchmark). Figures only: it checks that each snapshot reads
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
    WalletState state = walletWithHolds(HOLDS);
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
        int size = bytes.length;
        if (!algorithm.equals("off")) assertTrue(size < CASSANDRA_MESSAGE_LIMIT, () -> algorithm + ": over Cassandra's message limit");
      } finally {
        kit.shutdownTestKit();
      }
    }
  }

  /** One grant and {@code holds} one-credit holds, as a hot wallet under single reservations. */
  private static WalletState walletWithHolds(int holds) {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    WalletPolicy policy = new WalletPolicy(100, 100_000, Duration.ofDays(35)).withLimits(Math.max(holds, 100_000), 200);
    Decision d = new Decision(WalletState.EMPTY, policy);
    GrantRules.issueGrant(d, new GrantRequest("g-1", "sms", 1_000_000_000L, GrantSource.PACKAGE, null, null, null, 0, false), now);
    WalletState state = d.state();
    for (int i = 0; i < holds; i++) {
      Decision next = new Decision(state, policy);
      ReservationRules.reserve(next, new ReserveRequest("r-" + i, List.of(new Line("sms", 1)), null, 900, false, null),
          ReservationKind.HOLD, now.plusMillis(i));
      state = next.state();
    }
    return state;
  }
}
