package com.creditwallet.persistence.testing;

import com.creditwallet.persistence.LocalCassandra;
import com.creditwallet.persistence.PersistenceConfig;
import com.creditwallet.persistence.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving each test class a fresh keyspace, with the wallet schema, on a real
 * Cassandra node: {@code @ExtendWith(CassandraExtension.class)} and a
 * {@link CassandraTestKeyspace} parameter on a constructor, {@code @BeforeAll} or test method.
 *
 * <p>Why it exists: starting Cassandra costs ~15 s, so all test classes of a test JVM share one
 * node, and isolate themselves by keyspace instead. If {@code WALLET_CASSANDRA_CONTACT_POINTS}
 * is set, that cluster is used; otherwise one {@link LocalCassandra} is started on first use
 * (data in {@code target/cassandra-it-<pid>}, free ports) and stopped when the whole test run
 * ends, with the shutdown hook and the stdin watchdog as backups.
 */
public final class CassandraExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(CassandraExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraExtension.class);
    private static final String NODE_KEY = "node";
    private static final String KEYSPACE_KEY = "keyspace";
    private static final String DATA_DIR_PREFIX = "cassandra-it-";
    private static final int SUFFIX_LENGTH = 6;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Class<?>, CassandraTestKeyspace> KEYSPACES = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        keyspaceFor(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CassandraTestKeyspace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return keyspaceFor(extensionContext);
    }

    /**
     * The keyspace of the test class that {@code context} belongs to, created (and the node
     * started) on first call.
     */
    public static CassandraTestKeyspace keyspaceFor(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(KEYSPACE_KEY, key -> {
            Node node = node(context);
            String keyspace = keyspaceName(testClass.getSimpleName());
            Schema.apply(node.contactPoint, keyspace, 1);
            CassandraTestKeyspace result = new CassandraTestKeyspace(node.contactPoint, keyspace);
            KEYSPACES.put(testClass, result);
            log.info("{} uses keyspace {} on {}", testClass.getSimpleName(), keyspace, node.contactPoint);
            return result;
        }, CassandraTestKeyspace.class);
    }

    /** The keyspace given to {@code testClass}, once its {@code beforeAll} has run. */
    public static Optional<CassandraTestKeyspace> keyspaceOf(Class<?> testClass) {
        return Optional.ofNullable(KEYSPACES.get(testClass));
    }

    /**
     * {@code <class name, lower case, [a-z0-9_] only>_<6 random chars>}, at most 48 characters,
     * starting with a letter.
     */
    static String keyspaceName(String classSimpleName) {
        String base = classSimpleName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "t_" + base;
        }
        int maxBase = 48 - 1 - SUFFIX_LENGTH;
        if (base.length() > maxBase) {
            base = base.substring(0, maxBase);
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder name = new StringBuilder(base).append('_');
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return Schema.validateKeyspace(name.toString());
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getElement().filter(Class.class::isInstance).isPresent()) {
                return c;
            }
        }
        throw new IllegalStateException("CassandraExtension needs a test class context, got " + context.getUniqueId());
    }

    private static Node node(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(NODE_KEY, key -> startNode(), Node.class);
    }

    private static Node startNode() {
        String external = System.getenv(PersistenceConfig.CONTACT_POINTS_ENV);
        if (external != null && !external.isBlank()) {
            log.info("Using Cassandra at {} (from ${})", external, PersistenceConfig.CONTACT_POINTS_ENV);
            return new Node(external.trim(), null);
        }
        Path target = Path.of("").toAbsolutePath().resolve("target");
        deleteStaleDataDirs(target);
        Path dataDir = target.resolve(DATA_DIR_PREFIX + ProcessHandle.current().pid());
        LocalCassandra cassandra = LocalCassandra.start(LocalCassandra.Options.of(dataDir)
                .withUnsafeSystem(true)
                .withHeap("1g"));
        return new Node(cassandra.contactPoint(), cassandra);
    }

    /** Removes data dirs of earlier test JVMs that are gone, so they do not pile up. */
    private static void deleteStaleDataDirs(Path target) {
        if (!Files.isDirectory(target)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(target, DATA_DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                String suffix = dir.getFileName().toString().substring(DATA_DIR_PREFIX.length());
                long pid;
                try {
                    pid = Long.parseLong(suffix);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteRecursively(dir);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not clean old Cassandra test data under {}: {}", target, e.toString());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The shared node; closed by JUnit when the root context (the whole run) ends. */
    private static final class Node implements ExtensionContext.Store.CloseableResource {
        final String contactPoint;
        final LocalCassandra cassandra;

        Node(String contactPoint, LocalCassandra cassandra) {
            this.contactPoint = contactPoint;
            this.cassandra = cassandra;
        }

        @Override
        public void close() {
            if (cassandra != null) {
                cassandra.stop();
            }
        }
    }
}
