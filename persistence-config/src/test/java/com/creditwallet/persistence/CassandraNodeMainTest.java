package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog is what keeps a Cassandra node from outliving a killed test or launcher JVM:
 * closing the child's stdin (what the kernel does when the parent dies) must end it.
 */
class CassandraNodeMainTest {

    @TempDir
    Path dir;

    @Test
    void childExitsWhenItsStdinCloses() throws Exception {
        Process child = startChild();
        try {
            assertExitsWhenStdinCloses(child);
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Ctrl-C signals the whole process group; the child must leave its stop to the parent, which
     * first closes the wallet node that still writes to it.
     */
    @Test
    void childIgnoresSigint() throws Exception {
        Process child = startChild();
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");
            // Not a wait for a result: a JVM that takes SIGINT exits within milliseconds.
            assertFalse(child.waitFor(2, TimeUnit.SECONDS),
                    () -> "SIGINT ended the child: " + read(dir.resolve("out.log")));

            assertExitsWhenStdinCloses(child);
        } finally {
            child.destroyForcibly();
        }
    }

    private void assertExitsWhenStdinCloses(Process child) throws Exception {
        child.getOutputStream().close();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit after stdin closed");
        assertEquals(0, child.exitValue());
        assertTrue(read(dir.resolve("out.log")).contains("stdin closed"));
    }

    /** Starts CassandraNodeMain with {@link BlockForever} as its daemon and waits until that runs. */
    private Process startChild() throws Exception {
        Path marker = dir.resolve("started");
        String classpath = location(CassandraNodeMain.class) + File.pathSeparator + location(BlockForever.class);
        // SIGINT back to its default first: a test JVM started in the background inherits it ignored,
        // and so would the child, whatever CassandraNodeMain does (coreutils' env, Debian 11+).
        Process child = new ProcessBuilder(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + CassandraNodeMain.DAEMON_CLASS_PROPERTY + "=" + BlockForever.class.getName(),
                "-cp", classpath,
                CassandraNodeMain.class.getName(),
                marker.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(marker)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                throw new AssertionError("child did not start its daemon class: " + read(dir.resolve("out.log")));
            }
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        assertTrue(child.isAlive(), "the daemon class must keep running while stdin is open");
        return child;
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Stands in for CassandraDaemon: signals it started, then runs until the JVM exits. */
    public static final class BlockForever {
        public static void main(String[] args) throws Exception {
            Files.writeString(Path.of(args[0]), "started");
            Thread keeper = new Thread(() -> {
                Object lock = new Object();
                synchronized (lock) {
                    while (true) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "block-forever");
            keeper.start(); // non-daemon, like Cassandra's threads
        }
    }
}
