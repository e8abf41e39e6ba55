package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {
  @TempDir Path dir;

  @Test
  void handsOutDistinctFreePortsBelowTheEphemeralRange() throws IOException {
    int below = LoopbackPorts.ephemeralRangeStart(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = LoopbackPorts.next();
      assertTrue(port >= LoopbackPorts.LOWEST_PORT && port < below, port + " outside [20000, " + below + ")");
      assertTrue(seen.add(port), "handed out twice: " + port);
    }
    // And each can be bound by whoever asked for it.
    int port = LoopbackPorts.next();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(LocalCassandra.HOST, port), 1);
    }
  }

  @Test
  void aPortInUseIsNotFree() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LocalCassandra.HOST))) {
      assertFalse(LoopbackPorts.isFree(s.getLocalPort()));
    }
  }

  @Test
  void readsTheRangeLinuxWrites() throws IOException {
    assertEquals(40000, LoopbackPorts.ephemeralRangeStart(Files.writeString(dir.resolve("range"), "40000\t60999\n")));
  }

  @Test
  void fallsBackWhereTheRangeIsUnreadableOrLeavesNoRoomBelow() throws IOException {
    int fallback = LoopbackPorts.DEFAULT_EPHEMERAL_START;
    assertEquals(fallback, LoopbackPorts.ephemeralRangeStart(dir.resolve("missing")));
    assertEquals(fallback, LoopbackPorts.ephemeralRangeStart(Files.writeString(dir.resolve("garbled"), "many\n")));
    assertEquals(fallback, LoopbackPorts.ephemeralRangeStart(Files.writeString(dir.resolve("low"), "1024\t65535\n")));
  }
}
