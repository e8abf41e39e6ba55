package com.creditwallet.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single Cassandra node on 127.0.0.1, run as a child JVM, for development and tests.
 *
 * <p>Why it exists: the wallet is tested against real Cassandra (no Docker here, and embedded
 * Cassandra would drag its clashing libraries onto the application classpath). This class
 * writes a minimal config into the data directory, starts {@link CassandraNodeMain} with
 * Cassandra's own classpath ({@link CassandraClasspath}), waits until CQL answers and stops the
 * node again. The node can never outlive this JVM: {@link #stop()} on close, a shutdown hook,
 * and, for SIGKILL, the stdin watchdog in {@link CassandraNodeMain}.
 *
 * <p>Starting again on the same data directory keeps the data and reuses the ports recorded in
 * its {@code conf/cassandra.yaml} (unless other ports are given).
 */
public final class LocalCassandra implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCassandra.class);

    public static final String HOST = "127.0.0.1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 40;
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9 _.-]{1,64}");

    /** Module flags from Cassandra's own {@code jvm17-server.options}. */
    private static final List<String> JAVA17_MODULE_FLAGS = List.of(
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.math=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED");

    /**
     * How to run the node. Ports 0 mean: the ones this data directory used before, else free
     * ones. {@code unsafeSystem} skips flushing system tables on schema changes (faster tests,
     * not for data you keep).
     */
    public record Options(Path dataDir, int nativePort, int storagePort, String heap, String clusterName,
                          Duration startTimeout, boolean unsafeSystem) {

        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            dataDir = dataDir.toAbsolutePath().normalize();
            checkPort(nativePort, "nativePort");
            checkPort(storagePort, "storagePort");
            if (nativePort != 0 && nativePort == storagePort) {
                throw new IllegalArgumentException("nativePort and storagePort must differ, both are " + nativePort);
            }
            if (heap == null || !HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException("Invalid heap size '" + heap + "': expected e.g. 512m or 1g");
            }
            if (clusterName == null || !CLUSTER_NAME.matcher(clusterName).matches()) {
                throw new IllegalArgumentException("Invalid cluster name '" + clusterName + "'");
            }
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
            }
        }

        /** Defaults: free (or previously used) ports, 1g heap, cluster "wallet-local", 180 s. */
        public static Options of(Path dataDir) {
            return new Options(dataDir, 0, 0, "1g", "wallet-local", Duration.ofSeconds(180), false);
        }

        public Options withDataDir(Path value) {
            return new Options(value, nativePort, storagePort, heap, clusterName, startTimeout, unsafeSystem);
        }

        public Options withNativePort(int value) {
            return new Options(dataDir, value, storagePort, heap, clusterName, startTimeout, unsafeSystem);
        }

        public Options withStoragePort(int value) {
            return new Options(dataDir, nativePort, value, heap, clusterName, startTimeout, unsafeSystem);
        }

        public Options withHeap(String value) {
            return new Options(dataDir, nativePort, storagePort, value, clusterName, startTimeout, unsafeSystem);
        }

        public Options withClusterName(String value) {
            return new Options(dataDir, nativePort, storagePort, heap, value, startTimeout, unsafeSystem);
        }

        public Options withStartTimeout(Duration value) {
            return new Options(dataDir, nativePort, storagePort, heap, clusterName, value, unsafeSystem);
        }

        public Options withUnsafeSystem(boolean value) {
            return new Options(dataDir, nativePort, storagePort, heap, clusterName, startTimeout, value);
        }

        private static void checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0 (pick one) or a port number, was " + port);
            }
        }
    }

    private final Options options;
    private final int nativePort;
    private final int storagePort;
    private final Process process;
    /** Kept open, never written: closing it (or our death) makes the child exit. */
    private final OutputStream stdinPipe;
    private final Thread shutdownHook;
    /** Run by the shutdown hook before it stops the node (see {@link #stopOnExitAfter}). */
    private volatile Runnable beforeExitStop = () -> { };
    private boolean stopped;

    private LocalCassandra(Options options, int nativePort, int storagePort, Process process) {
        this.options = options;
        this.nativePort = nativePort;
        this.storagePort = storagePort;
        this.process = process;
        this.stdinPipe = process.getOutputStream();
        this.shutdownHook = new Thread(this::stopFromShutdownHook, "local-cassandra-stop-" + process.pid());
    }

    /**
     * Starts a node and returns once it answers CQL. Throws {@link IllegalStateException} with
     * the end of its logs if it dies or is not ready within {@link Options#startTimeout()}.
     */
    public static LocalCassandra start(Options options) {
        Path dataDir = options.dataDir();
        Path conf = dataDir.resolve("conf");
        Path logs = dataDir.resolve("logs");
        try {
            for (String dir : List.of("conf", "logs", "data", "commitlog", "saved_caches", "hints", "cdc_raw", "triggers")) {
                Files.createDirectories(dataDir.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Cassandra directories under " + dataDir, e);
        }
        String classpath = childClasspath(dataDir); // fails early if cassandra-node was not built

        Path yaml = conf.resolve("cassandra.yaml");
        int nativePort = choosePort(options.nativePort(), previousPort(yaml, "native_transport_port"), -1);
        int storagePort = choosePort(options.storagePort(), previousPort(yaml, "storage_port"), nativePort);
        requireFree(nativePort, "CQL (native_transport_port)", dataDir);
        requireFree(storagePort, "storage_port", dataDir);

        Path logback = conf.resolve("logback.xml");
        Path stdoutLog = logs.resolve("stdout.log");
        try {
            Files.writeString(yaml, cassandraYaml(options, nativePort, storagePort));
            Files.writeString(logback, logbackXml(logs));
            Files.writeString(stdoutLog, "==== " + Instant.now() + " starting Cassandra (CQL " + HOST + ":" + nativePort
                    + ", storage " + storagePort + ")" + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write Cassandra config under " + conf, e);
        }

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + options.heap());
        command.add("-Xmx" + options.heap());
        command.addAll(JAVA17_MODULE_FLAGS);
        command.add("-Dcassandra.config=" + yaml.toUri());
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.storagedir=" + dataDir);
        command.add("-Dcassandra.logdir=" + logs);
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        // A single node has no peers to tell that it is going down: saves 2 s on every stop.
        command.add("-Dcassandra.shutdown_announce_in_ms=0");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dio.netty.tryReflectionSetAccessible=true");
        command.add("-Dcassandra.triggers_dir=" + dataDir.resolve("triggers"));
        command.add("-XX:+ExitOnOutOfMemoryError");
        // Every pause of Cassandra's collector stalls the writes in flight, and with the JDK's
        // 200 ms goal its young pauses on a 1 GiB heap were 20-100 ms: they set the tail of a single
        // reservation (docs/performance.md, "Cassandra's pauses"). A 20 ms goal, as on the node.
        command.add("-XX:MaxGCPauseMillis=20");
        // 2 MiB pages for its heap where the kernel offers them (see HugePages).
        command.addAll(HugePages.jvmOptions());
        // Last, so they win: GC logging or tuning of the local node without a rebuild.
        String extra = System.getenv("WALLET_CASSANDRA_JVM_OPTS");
        if (extra != null && !extra.isBlank()) command.addAll(List.of(extra.trim().split("\\s+")));
        if (options.unsafeSystem()) {
            command.add("-Dcassandra.unsafesystem=true");
        }
        // No cassandra.jmx.* ports: then Cassandra starts no JMX server, so nodes never clash on it.
        command.add("-D" + CassandraNodeMain.DAEMON_CLASS_PROPERTY + "=" + CassandraNodeMain.DEFAULT_DAEMON_CLASS);
        command.add("-cp");
        command.add(classpath);
        command.add(CassandraNodeMain.class.getName());

        try {
            Files.writeString(stdoutLog, "command: " + String.join(" ", command) + System.lineSeparator(),
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + stdoutLog, e);
        }

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutLog.toFile()));
        // stdin stays a pipe (the default): the child's watchdog exits when it closes.

        log.info("Starting Cassandra on {}:{}, data in {}", HOST, nativePort, dataDir);
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0), e);
        }
        LocalCassandra node = new LocalCassandra(options, nativePort, storagePort, process);
        Runtime.getRuntime().addShutdownHook(node.shutdownHook);
        try {
            node.awaitReady(startNanos);
        } catch (RuntimeException | Error e) {
            node.stop();
            throw e;
        }
        log.info("Cassandra ready after {} s (pid {}, {}:{})",
                String.format("%.1f", (System.nanoTime() - startNanos) / 1e9), process.pid(), HOST, nativePort);
        return node;
    }

    /** {@code 127.0.0.1:<nativePort>}, the value for {@code basic.contact-points}. */
    public String contactPoint() {
        return HOST + ":" + nativePort;
    }

    public int nativePort() {
        return nativePort;
    }

    public int storagePort() {
        return storagePort;
    }

    /** Process id of the Cassandra JVM. */
    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public Options options() {
        return options;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Stops the node: SIGTERM (Cassandra drains and exits), after 30 s SIGKILL; then kills
     * anything it started. Idempotent; a concurrent caller waits until the node is down.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        long startNanos = System.nanoTime();
        if (process.isAlive()) {
            log.info("Stopping Cassandra (pid {}) on {}", process.pid(), contactPoint());
            process.destroy();
            if (!waitFor(process, STOP_TIMEOUT)) {
                log.warn("Cassandra (pid {}) did not stop within {} s, killing it", process.pid(),
                        STOP_TIMEOUT.toSeconds());
                process.destroyForcibly();
                waitFor(process, STOP_TIMEOUT);
            }
        }
        for (ProcessHandle descendant : descendants) {
            descendant.destroyForcibly();
        }
        try {
            stdinPipe.close();
        } catch (IOException e) {
            // The child is gone; nothing reads the pipe any more.
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook may be the caller.
        }
        log.info("Cassandra (pid {}) stopped after {} ms", process.pid(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Makes this node's shutdown hook run {@code first} (closing what uses the node) before it
     * stops the node. The JVM runs its shutdown hooks concurrently, so a separate hook that
     * closes a wallet node would race this one: the wallet node's last writes (its feeds'
     * marks) would meet a Cassandra already going down.
     */
    public void stopOnExitAfter(Runnable first) {
        this.beforeExitStop = first;
    }

    @Override
    public String toString() {
        return "LocalCassandra[" + contactPoint() + ", pid " + process.pid() + ", " + options.dataDir() + "]";
    }

    /** What the JVM shutdown hook runs (package-private for the lifecycle test). */
    void stopFromShutdownHook() {
        try {
            beforeExitStop.run();
        } catch (RuntimeException e) {
            log.warn("Closing what uses Cassandra failed before stopping it: {}", e.toString());
        }
        try {
            stop();
        } catch (RuntimeException e) {
            process.destroyForcibly();
        }
    }

    private void awaitReady(long startNanos) {
        long deadline = startNanos + options.startTimeout().toNanos();
        RuntimeException lastCqlError = null;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cassandra (pid " + process.pid() + ") exited with code "
                        + process.exitValue() + " during startup. " + logTails());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Cassandra did not answer CQL on " + contactPoint() + " within "
                        + options.startTimeout().toSeconds() + " s"
                        + (lastCqlError == null ? "" : " (last error: " + lastCqlError + ")") + ". " + logTails());
            }
            // Cassandra opens the CQL port last; only then is a driver session worth trying.
            if (portAcceptsConnections(nativePort)) {
                try (CqlSession session = CassandraSessions.open(contactPoint(), null, Duration.ofSeconds(5))) {
                    session.execute("SELECT release_version FROM system.local");
                    return;
                } catch (RuntimeException e) {
                    lastCqlError = e;
                }
            }
            waitFor(process, POLL_INTERVAL); // returns at once if the process dies
        }
    }

    private String logTails() {
        Path logs = options.dataDir().resolve("logs");
        return "Last lines of " + logs.resolve("system.log") + ":\n" + tail(logs.resolve("system.log"))
                + "\nLast lines of " + logs.resolve("stdout.log") + ":\n" + tail(logs.resolve("stdout.log"));
    }

    static String tail(Path file) {
        if (!Files.isRegularFile(file)) {
            return "  (no such file)";
        }
        Deque<String> lines = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.addLast(line);
                if (lines.size() > LOG_TAIL_LINES) {
                    lines.removeFirst();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "  (cannot read: " + e + ")";
        }
        return lines.stream().map(l -> "  " + l).collect(Collectors.joining("\n"));
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Cassandra (pid " + process.pid() + ")", e);
        }
    }

    private static boolean portAcceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int choosePort(int requested, OptionalInt previous, int avoid) {
        if (requested != 0) {
            return requested;
        }
        if (previous.isPresent() && previous.getAsInt() != avoid) {
            return previous.getAsInt();
        }
        int port = LoopbackPorts.next();
        // LoopbackPorts never hands out a port twice, so a second one is never the one to avoid.
        return port != avoid ? port : LoopbackPorts.next();
    }

    private static void requireFree(int port, String what, Path dataDir) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for Cassandra's " + what + " on " + HOST
                    + " is already in use: is another Cassandra (perhaps on " + dataDir + ") still running?"
                    + " Stop it or choose other ports.", e);
        }
    }

    static OptionalInt previousPort(Path yaml, String key) {
        if (!Files.isRegularFile(yaml)) {
            return OptionalInt.empty();
        }
        try {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ":\\s*(\\d+)\\s*$").matcher(Files.readString(yaml));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + yaml, e);
        }
    }

    /**
     * How the local node acknowledges writes ({@code WALLET_CASSANDRA_COMMITLOG_SYNC}):
     * {@code periodic} (default) acknowledges once the write is in the commit log's memory segment
     * and fsyncs every 10 s: a killed process loses nothing, a power cut can lose the last seconds
     * (production relies on replication 3 instead). {@code group} fsyncs before acknowledging,
     * grouping the writes of a 15 ms window into one fsync: the same durability as PostgreSQL's
     * default commit. {@code batch} fsyncs before acknowledging, without waiting for a window.
     */
    static String commitlogSync(String mode) {
        String m = mode == null || mode.isBlank() ? "periodic" : mode.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (m) {
            case "periodic" -> "commitlog_sync: periodic\ncommitlog_sync_period: 10000ms";
            case "group" -> "commitlog_sync: group\ncommitlog_sync_group_window: 15ms";
            case "batch" -> "commitlog_sync: batch";
            default -> throw new IllegalArgumentException(
                    "WALLET_CASSANDRA_COMMITLOG_SYNC must be periodic, group or batch, not '" + mode + "'");
        };
    }

    static String cassandraYaml(Options options, int nativePort, int storagePort) {
        Path dir = options.dataDir();
        return String.join("\n",
                "# Written by " + LocalCassandra.class.getName() + " on every start: edits are overwritten.",
                "cluster_name: " + quote(options.clusterName()),
                "num_tokens: 16",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "data_file_directories:",
                "  - " + quote(dir.resolve("data").toString()),
                "commitlog_directory: " + quote(dir.resolve("commitlog").toString()),
                "saved_caches_directory: " + quote(dir.resolve("saved_caches").toString()),
                "hints_directory: " + quote(dir.resolve("hints").toString()),
                "cdc_raw_directory: " + quote(dir.resolve("cdc_raw").toString()),
                commitlogSync(System.getenv("WALLET_CASSANDRA_COMMITLOG_SYNC")),
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + HOST + ":" + storagePort + "\"",
                "listen_address: " + HOST,
                "rpc_address: " + HOST,
                "storage_port: " + storagePort,
                "native_transport_port: " + nativePort,
                "start_native_transport: true",
                "endpoint_snitch: SimpleSnitch",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "auto_snapshot: false",
                "snapshot_before_compaction: false",
                // Memtable cells off the heap: on the heap they survive young collections until
                // flushed and are copied at every pause (docs/performance.md, "Cassandra's pauses").
                "memtable_allocation_type: offheap_objects",
                "");
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String logbackXml(Path logs) {
        String systemLog = xmlEscape(logs.resolve("system.log").toString());
        String rolled = xmlEscape(logs.resolve("system.log.%i.zip").toString());
        return "<!-- Written by " + LocalCassandra.class.getName() + " on every start: edits are overwritten. -->\n"
                + "<configuration scan=\"false\">\n"
                + "  <appender name=\"SYSTEMLOG\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\">\n"
                + "    <file>" + systemLog + "</file>\n"
                + "    <rollingPolicy class=\"ch.qos.logback.core.rolling.FixedWindowRollingPolicy\">\n"
                + "      <fileNamePattern>" + rolled + "</fileNamePattern>\n"
                + "      <minIndex>1</minIndex>\n"
                + "      <maxIndex>3</maxIndex>\n"
                + "    </rollingPolicy>\n"
                + "    <triggeringPolicy class=\"ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy\">\n"
                + "      <maxFileSize>50MB</maxFileSize>\n"
                + "    </triggeringPolicy>\n"
                + "    <encoder>\n"
                + "      <pattern>%-5level [%thread] %date{ISO8601} %logger{20} - %msg%n</pattern>\n"
                + "    </encoder>\n"
                + "  </appender>\n"
                + "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
                + "    <filter class=\"ch.qos.logback.classic.filter.ThresholdFilter\">\n"
                + "      <level>WARN</level>\n"
                + "    </filter>\n"
                + "    <encoder>\n"
                + "      <pattern>%-5level [%thread] %date{ISO8601} %logger{20} - %msg%n</pattern>\n"
                + "    </encoder>\n"
                + "  </appender>\n"
                + "  <root level=\"INFO\">\n"
                + "    <appender-ref ref=\"SYSTEMLOG\"/>\n"
                + "    <appender-ref ref=\"STDOUT\"/>\n"
                + "  </root>\n"
                + "</configuration>\n";
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * The launcher class's location, then Cassandra's jars. A fat application jar would bring
     * the application's libraries along, so in that case only the launcher class is copied out.
     */
    private static String childClasspath(Path dataDir) {
        List<String> entries = new ArrayList<>();
        entries.add(launcherLocation(dataDir, codeSource()).toString());
        for (Path jar : CassandraClasspath.entries()) {
            entries.add(jar.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path codeSource() {
        try {
            return Path.of(CassandraNodeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null; // unusual class loader: fall back to copying the class out
        }
    }

    static Path launcherLocation(Path dataDir, Path location) {
        if (location == null) {
            return extractLauncher(dataDir);
        }
        if (Files.isDirectory(location)) {
            return location;
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            boolean onlyOurClasses = jar.stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .allMatch(name -> name.startsWith("com/creditwallet/") || name.endsWith("module-info.class"));
            return onlyOurClasses ? location : extractLauncher(dataDir);
        } catch (IOException e) {
            return extractLauncher(dataDir);
        }
    }

    private static Path extractLauncher(Path dataDir) {
        String resource = CassandraNodeMain.class.getName().replace('.', '/') + ".class";
        Path classesDir = dataDir.resolve("launcher-classes");
        Path target = classesDir.resolve(resource);
        try (InputStream in = CassandraNodeMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Cannot find " + resource + " to launch Cassandra with");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + resource + " to " + target, e);
        }
        return classesDir;
    }
}
