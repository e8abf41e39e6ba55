package com.creditwallet.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the wallet's keyspace and tables from the committed CQL files in {@code /cql}.
 *
 * <p>Why it exists: the plugin's auto-create is off (it races between nodes and hides schema
 * drift), so the schema is code: reviewed CQL files applied in a fixed order by the launcher, by
 * tests and by deployment tooling. Every statement is {@code IF NOT EXISTS}, so applying it
 * again is harmless.
 */
public final class Schema {

    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    /** The files under {@code /cql}, in the order they are applied. */
    public static final List<String> FILES = List.of("keyspace.cql", "journal.cql", "snapshot.cql", "wallet.cql",
            "archive.cql", "readside.cql");

    /** Lower case, so it never needs quoting; 48 is Cassandra's limit. */
    public static final Pattern KEYSPACE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(60);

    private Schema() {
    }

    /** Returns {@code keyspace} if it matches {@link #KEYSPACE_NAME}, else throws. */
    public static String validateKeyspace(String keyspace) {
        if (keyspace == null || !KEYSPACE_NAME.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("Invalid keyspace name '" + keyspace
                    + "': expected " + KEYSPACE_NAME.pattern());
        }
        return keyspace;
    }

    /** All statements of all {@link #FILES}, in order, with the placeholders filled in. */
    public static List<String> statements(String keyspace, int replicationFactor) {
        List<String> all = new ArrayList<>();
        for (String file : FILES) {
            all.addAll(statements(file, keyspace, replicationFactor));
        }
        return List.copyOf(all);
    }

    /** The statements of one file under {@code /cql}, with the placeholders filled in. */
    public static List<String> statements(String file, String keyspace, int replicationFactor) {
        validateKeyspace(keyspace);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("Replication factor must be at least 1, was " + replicationFactor);
        }
        String text = resource(file)
                .replace("${keyspace}", keyspace)
                .replace("${replicationFactor}", Integer.toString(replicationFactor));
        List<String> statements = split(text);
        for (String statement : statements) {
            if (statement.contains("${")) {
                throw new IllegalStateException("Unknown placeholder in cql/" + file + ": " + statement);
            }
        }
        return statements;
    }

    /** Opens a session to {@code contactPointsCsv}, applies the schema and closes it. */
    public static void apply(String contactPointsCsv, String keyspace, int replicationFactor) {
        try (CqlSession session = CassandraSessions.open(contactPointsCsv, null, DDL_TIMEOUT)) {
            apply(session, keyspace, replicationFactor);
        }
    }

    /** Runs every statement of {@link #FILES} and waits until all nodes agree on the schema. */
    public static void apply(CqlSession session, String keyspace, int replicationFactor) {
        long start = System.nanoTime();
        List<String> statements = statements(keyspace, replicationFactor);
        for (String cql : statements) {
            ResultSet rs = session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
            if (!rs.getExecutionInfo().isSchemaInAgreement()) {
                awaitSchemaAgreement(session);
            }
        }
        awaitSchemaAgreement(session);
        log.info("Schema applied to keyspace {} ({} statements, {} ms)", keyspace, statements.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void awaitSchemaAgreement(CqlSession session) {
        long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
        while (!session.checkSchemaAgreement()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Cassandra nodes did not agree on the schema within " + AGREEMENT_TIMEOUT);
            }
            // checkSchemaAgreement polls the nodes itself (every 200 ms, up to the session's
            // schema-agreement timeout) before it answers false, which paces this loop.
        }
    }

    /**
     * Splits CQL text into statements: drops {@code --} comments (to the end of the line), splits
     * on {@code ;} and drops empty pieces. The files must not put {@code --} or {@code ;} inside
     * string literals.
     */
    static List<String> split(String cqlText) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : cqlText.split("\\R", -1)) {
            int comment = line.indexOf("--");
            withoutComments.append((comment < 0 ? line : line.substring(0, comment)).stripTrailing()).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String piece : withoutComments.toString().split(";")) {
            String statement = piece.strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        return statements;
    }

    static String resource(String file) {
        String path = "/cql/" + file;
        try (InputStream in = Schema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
