package com.creditwallet.persistence;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Main class behind {@code bin/wallet cassandra}: runs a local Cassandra node with the wallet's
 * schema until Ctrl-C / SIGTERM.
 *
 * <p>Why it exists: developers and the load test need a real Cassandra with the right keyspace
 * and tables, without Docker and without installing Cassandra: one command that prints when it
 * is ready and leaves no process behind when stopped.
 */
public final class CassandraLauncher {

    static final String USAGE = String.join("\n",
            "Usage: wallet cassandra [options]",
            "  --data-dir DIR              data, config and logs (default .wallet-data/cassandra)",
            "  --port PORT                 CQL port (default 9042)",
            "  --storage-port PORT         inter-node port (default 7000)",
            "  --keyspace NAME             keyspace to create (default wallet)",
            "  --replication-factor N      replication factor of the keyspace (default 1)",
            "  --heap SIZE                 Cassandra's heap, e.g. 512m, 2g (default 1g)",
            "  --help                      show this help");

    /** Parsed command line. */
    record Args(Path dataDir, int port, int storagePort, String keyspace, int replicationFactor, String heap) {
    }

    /** A command line that cannot be run; the message says why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private CassandraLauncher() {
    }

    public static void main(String[] argv) throws InterruptedException {
        for (String arg : argv) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                return;
            }
        }
        Args args;
        try {
            args = parse(argv);
        } catch (UsageException e) {
            System.err.println("wallet cassandra: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Starts the node and blocks until the JVM shuts down; returns an exit code on failure. */
    static int run(Args args, PrintStream out, PrintStream err) throws InterruptedException {
        LocalCassandra.Options options = LocalCassandra.Options.of(args.dataDir())
                .withNativePort(args.port())
                .withStoragePort(args.storagePort())
                .withHeap(args.heap());
        err.println("Starting Cassandra on " + LocalCassandra.HOST + ":" + args.port() + ", data in "
                + options.dataDir() + " (logs in " + options.dataDir().resolve("logs") + ") ...");
        LocalCassandra cassandra;
        try {
            cassandra = LocalCassandra.start(options);
        } catch (RuntimeException e) {
            err.println("Cassandra failed to start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("Stopping Cassandra (pid " + cassandra.pid() + ") ...");
            cassandra.stop();
            err.println("Cassandra stopped.");
        }, "wallet-cassandra-launcher-stop"));
        try {
            Schema.apply(cassandra.contactPoint(), args.keyspace(), args.replicationFactor());
        } catch (RuntimeException e) {
            err.println("Applying the schema failed: " + e);
            cassandra.stop();
            return 1;
        }
        out.println("Cassandra ready on " + cassandra.contactPoint() + ", keyspace " + args.keyspace());
        out.flush();
        new CountDownLatch(1).await(); // until Ctrl-C / SIGTERM: the shutdown hook stops Cassandra
        return 0;
    }

    static Args parse(String[] argv) throws UsageException {
        Path dataDir = Path.of(".wallet-data", "cassandra");
        int port = 9042;
        int storagePort = 7000;
        String keyspace = PersistenceConfig.DEFAULT_KEYSPACE;
        int replicationFactor = 1;
        String heap = "1g";
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                value = null;
            }
            if (!name.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            if (value == null) {
                throw new UsageException("missing value for " + name);
            }
            switch (name) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--port" -> port = port(name, value);
                case "--storage-port" -> storagePort = port(name, value);
                case "--keyspace" -> {
                    if (!Schema.KEYSPACE_NAME.matcher(value).matches()) {
                        throw new UsageException("invalid keyspace '" + value + "': expected " + Schema.KEYSPACE_NAME.pattern());
                    }
                    keyspace = value;
                }
                case "--replication-factor" -> {
                    replicationFactor = integer(name, value);
                    if (replicationFactor < 1) {
                        throw new UsageException(name + " must be at least 1");
                    }
                }
                case "--heap" -> {
                    if (!value.matches("[1-9][0-9]*[kKmMgG]?")) {
                        throw new UsageException("invalid heap size '" + value + "': expected e.g. 512m or 2g");
                    }
                    heap = value;
                }
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (port == storagePort) {
            throw new UsageException("--port and --storage-port must differ");
        }
        return new Args(dataDir, port, storagePort, keyspace, replicationFactor, heap);
    }

    private static int port(String name, String value) throws UsageException {
        int port = integer(name, value);
        if (port < 1 || port > 65535) {
            throw new UsageException(name + " must be between 1 and 65535, was " + value);
        }
        return port;
    }

    private static int integer(String name, String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number, was '" + value + "'");
        }
    }
}
