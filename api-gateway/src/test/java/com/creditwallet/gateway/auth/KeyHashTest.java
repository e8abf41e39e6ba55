package com.creditwallet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The reused per-thread digest must give every call the hash of its own input, and nothing else. */
class KeyHashTest {

  private static byte[] fresh(String key) {
    return KeyHash.newDigest().digest(key.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void repeatedAndInterleavedCallsGiveEachKeyItsOwnHash() {
    String[] keys = {"", "a", "admin-key-1234567890", "wk_0123456789abcdef01234567_" + "x".repeat(43), "é€"};
    for (int round = 0; round < 3; round++) {
      for (String k : keys) assertArrayEquals(fresh(k), KeyHash.of(k), k);
    }
    assertEquals(32, KeyHash.of("anything").length);
  }

  @Test
  void threadsHashingAtOnceDoNotMixTheirInputs() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String key = "key-of-thread-" + t;
        byte[] expected = fresh(key);
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) assertArrayEquals(expected, KeyHash.of(key));
        }));
      }
      for (Future<?> f : runs) f.get();
    } finally {
      pool.shutdownNow();
    }
  }
}
