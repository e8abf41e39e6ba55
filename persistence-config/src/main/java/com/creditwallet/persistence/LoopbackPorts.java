package com.creditwallet.persistence;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for a process to bind later (a local Cassandra, a test's cluster node).
 *
 * <p>Why not {@code new ServerSocket(0)}: the kernel takes that port from its ephemeral range, the
 * same range it hands to outgoing connections as their local ports. Between choosing a port and
 * the other process binding it seconds later, any connection opened on the machine (a driver
 * connecting to Cassandra, a test's HTTP client) may be given it, and that process fails to start.
 * Ports below the range are never handed out that way; each is checked free on loopback and handed
 * out once per JVM, so two callers in one test run never get the same one.
 */
public final class LoopbackPorts {
    /** Above the well-known and most registered service ports. */
    static final int LOWEST_PORT = 20000;
    /** Linux's default start of the ephemeral range, used where the actual one cannot be read. */
    static final int DEFAULT_EPHEMERAL_START = 32768;
    private static final Path RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {}

    /** A free port on 127.0.0.1 below the ephemeral range, not handed out before in this JVM. */
    public static int next() {
        int below = ephemeralRangeStart(RANGE_FILE);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(below - LOWEST_PORT);
            if (HANDED_OUT.add(port) && isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "No free port on loopback between " + LOWEST_PORT + " and " + below + " after " + ATTEMPTS + " tries");
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            // The address every local process here binds (LocalCassandra.HOST), whatever the JVM prefers.
            s.bind(new InetSocketAddress(LocalCassandra.HOST, port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /**
     * The first port of the kernel's ephemeral range as written in {@code rangeFile}; the default
     * where it cannot be read, or where the range starts so low that no room is left below it.
     */
    static int ephemeralRangeStart(Path rangeFile) {
        try {
            int start = Integer.parseInt(Files.readString(rangeFile).trim().split("\\s+")[0]);
            return start > LOWEST_PORT + 1000 ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
