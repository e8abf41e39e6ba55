package com.creditwallet.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Main class of the Cassandra child JVM started by {@link LocalCassandra}.
 *
 * <p>Why it exists: a Cassandra started by a test run or by {@code bin/wallet cassandra} must
 * never outlive the JVM that started it, even when that JVM is killed with SIGKILL and runs no
 * shutdown hook. The parent keeps the write end of this process's stdin pipe open and never
 * writes to it; the kernel closes it when the parent dies, this class sees EOF and exits.
 * Cassandra itself is called by reflection so that this module has no compile-time (and the
 * application no runtime) dependency on it: its libraries clash with the application's.
 *
 * <p>Uses only the JDK: it runs on Cassandra's classpath, not the application's.
 */
public final class CassandraNodeMain {

    /**
     * System property naming the class whose {@code main} is run after the watchdog starts.
     * {@link LocalCassandra} always sets it, which also makes the child easy to find with
     * {@code ps aux | grep CassandraDaemon}.
     */
    public static final String DAEMON_CLASS_PROPERTY = "wallet.cassandra.daemon";

    /** Cassandra's own entry point. */
    public static final String DEFAULT_DAEMON_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    /** How long an orderly {@code System.exit} may take before the JVM is halted. */
    private static final long EXIT_GRACE_MILLIS = 60_000;

    private CassandraNodeMain() {
    }

    public static void main(String[] args) throws Throwable {
        ignoreInterrupt();
        Thread watchdog = new Thread(() -> exitWhenStdinCloses(System.in), "wallet-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        String daemonClass = System.getProperty(DAEMON_CLASS_PROPERTY, DEFAULT_DAEMON_CLASS);
        Method main = Class.forName(daemonClass).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Ctrl-C in a terminal sends SIGINT to the whole foreground process group, this child
     * included. The parent stops it anyway (SIGTERM, from its shutdown hook), and only after
     * closing what still writes to it; a Cassandra draining at once would fail those last writes.
     */
    private static void ignoreInterrupt() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // No SIGINT on this platform (or the JVM runs with -Xrs): nothing to ignore.
        }
    }

    private static void exitWhenStdinCloses(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // The parent never writes; anything that arrives is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as EOF: the parent is gone.
        }
        System.err.println("CassandraNodeMain: stdin closed (parent process gone), shutting down");
        // Cassandra's shutdown hook drains the node; should it hang, do not linger as an orphan.
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        }, "wallet-exit-halter");
        halter.setDaemon(true);
        halter.start();
        System.exit(0);
    }
}
