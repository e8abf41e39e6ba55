package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of its own (not the extension's): stopping it really ends the process, and a restart
 * on the same data directory finds the data and the ports again.
 */
class LocalCassandraLifecycleIT {

    @TempDir
    Path dir;

    @Test
    void stopEndsTheProcessAndRestartKeepsTheData() throws Exception {
        LocalCassandra.Options options = LocalCassandra.Options.of(dir.resolve("node"))
                .withUnsafeSystem(true)
                .withHeap("512m");

        long firstPid;
        int port;
        try (LocalCassandra first = LocalCassandra.start(options)) {
            firstPid = first.pid();
            port = first.nativePort();
            assertTrue(alive(firstPid));
            assertEquals("127.0.0.1:" + port, first.contactPoint());
            assertTrue(Files.readString(options.dataDir().resolve("conf/cassandra.yaml"))
                    .contains("native_transport_port: " + port));

            // A second node on the same ports is refused up front, with a clear message.
            IllegalStateException clash = assertThrows(IllegalStateException.class,
                    () -> LocalCassandra.start(options.withDataDir(dir.resolve("other")).withNativePort(port)));
            assertTrue(clash.getMessage().contains("already in use"), clash.getMessage());

            try (CqlSession session = CassandraSessions.open(first.contactPoint())) {
                session.execute("CREATE KEYSPACE lifecycle WITH replication = "
                        + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
                session.execute("CREATE TABLE lifecycle.kv (k text PRIMARY KEY, v text)");
                session.execute("INSERT INTO lifecycle.kv (k, v) VALUES ('answer', '42')");
            }

            first.stop();
            assertFalse(alive(firstPid), "Cassandra process " + firstPid + " still alive after stop()");
            assertFalse(first.isRunning());
            first.stop(); // idempotent
        }

        long secondPid;
        try (LocalCassandra second = LocalCassandra.start(options)) {
            secondPid = second.pid();
            assertNotEquals(firstPid, secondPid);
            assertEquals(port, second.nativePort(), "a restart reuses the data directory's ports");
            try (CqlSession session = CassandraSessions.open(second.contactPoint(), "lifecycle")) {
                assertEquals("42", session.execute("SELECT v FROM kv WHERE k = 'answer'").one().getString("v"));
            }

            // On exit, what uses the node is closed while the node still runs, then the node stops.
            AtomicBoolean runningWhenClosed = new AtomicBoolean();
            second.stopOnExitAfter(() -> runningWhenClosed.set(second.isRunning()));
            second.stopFromShutdownHook();
            assertTrue(runningWhenClosed.get(), "the node stopped before what uses it was closed");
            assertFalse(second.isRunning());
        }
        assertFalse(alive(secondPid), "close() must stop the node");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
