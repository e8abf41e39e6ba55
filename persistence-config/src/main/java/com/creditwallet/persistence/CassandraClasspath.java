package com.creditwallet.persistence;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the runtime classpath of Cassandra, resolved by Maven into
 * {@code persistence-config/cassandra-node/target/cassandra.classpath}.
 *
 * <p>Why it exists: Cassandra's libraries (Guava, Netty, logback 1.2, driver 3.x) clash with the
 * application's, so Cassandra never joins the application classpath; it runs as its own JVM
 * with this list of jars, which only Maven knows how to resolve.
 */
public final class CassandraClasspath {

    /** System property holding the path of the classpath file; wins over everything else. */
    public static final String FILE_PROPERTY = "wallet.cassandra.classpath-file";
    /** Environment variable holding the path of the classpath file. */
    public static final String FILE_ENV = "WALLET_CASSANDRA_CLASSPATH_FILE";
    /** System property (set by failsafe) naming the repository root to search from. */
    public static final String REPO_ROOT_PROPERTY = "wallet.repo.root";
    /** Where the file lies relative to the repository root. */
    public static final String RELATIVE_PATH = "persistence-config/cassandra-node/target/cassandra.classpath";

    static final String BUILD_HINT =
            "Build it with: mvn -pl persistence-config/cassandra-node generate-resources"
                    + " (run from the repository root), or point -D" + FILE_PROPERTY
                    + " / $" + FILE_ENV + " at an existing file.";

    private CassandraClasspath() {
    }

    /** The classpath file; fails with a message saying how to build it when there is none. */
    public static Path locate() {
        return locate(System::getProperty, System::getenv, Path.of("").toAbsolutePath());
    }

    /** The jars listed in the classpath file, each checked to exist. */
    public static List<Path> entries() {
        return entries(locate());
    }

    static Path locate(Function<String, String> properties, Function<String, String> env, Path currentDir) {
        String explicit = properties.apply(FILE_PROPERTY);
        String source = "-D" + FILE_PROPERTY;
        if (isBlank(explicit)) {
            explicit = env.apply(FILE_ENV);
            source = "$" + FILE_ENV;
        }
        if (!isBlank(explicit)) {
            Path file = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(
                        "Cassandra classpath file " + file + " (from " + source + ") does not exist. " + BUILD_HINT);
            }
            return file;
        }

        List<Path> starts = new ArrayList<>();
        String repoRoot = properties.apply(REPO_ROOT_PROPERTY);
        if (!isBlank(repoRoot)) {
            starts.add(Path.of(repoRoot).toAbsolutePath());
        }
        starts.add(currentDir.toAbsolutePath());
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(RELATIVE_PATH);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Cassandra classpath file " + RELATIVE_PATH
                + " not found above " + starts + ". " + BUILD_HINT);
    }

    static List<Path> entries(Path file) {
        String content;
        try {
            content = Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Cassandra classpath file " + file, e);
        }
        List<Path> entries = new ArrayList<>();
        for (String entry : content.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path jar = Path.of(entry.trim());
            if (!Files.exists(jar)) {
                throw new IllegalStateException("Cassandra classpath file " + file + " lists " + jar
                        + ", which does not exist (stale file or cleaned Maven repository?). " + BUILD_HINT);
            }
            entries.add(jar);
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("Cassandra classpath file " + file + " is empty. " + BUILD_HINT);
        }
        return List.copyOf(entries);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
