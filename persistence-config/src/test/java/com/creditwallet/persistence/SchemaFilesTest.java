package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed CQL must be what the plugin itself would create: a plugin upgrade that changes
 * its tables has to fail the build, not the first write in production.
 */
class SchemaFilesTest {

    private static final String KEYSPACE = "schema_probe_ks";
    private static ActorSystem system;
    private static KeyspaceAndTableStatements plugin;

    @BeforeAll
    static void startSystem() {
        Config config = PersistenceConfig.cassandra("127.0.0.1:9042", KEYSPACE)
                .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING"))
                .withFallback(ConfigFactory.load(PersistenceConfig.RESOURCE));
        system = ActorSystem.create("SchemaFilesTest", config);
        plugin = new KeyspaceAndTableStatements(system, "pekko.persistence.cassandra", PluginSettings.apply(system));
    }

    @AfterAll
    static void stopSystem() {
        system.terminate();
    }

    @Test
    void journalFileMatchesPluginStatementsButForFrozenTags() {
        List<String> generated = plugin.getCreateJournalTablesStatements();
        List<String> expected = generated.stream()
                .map(s -> s.replaceAll("(?m)^(\\s*)tags set<text>,", "$1tags frozen<set<text>>,"))
                .collect(Collectors.toList());
        // The one deliberate change must still apply to exactly one statement (messages): if a
        // plugin upgrade moves or renames the column, this fails rather than silently dropping it.
        long changed = IntStream.range(0, generated.size())
                .filter(i -> !generated.get(i).equals(expected.get(i))).count();
        assertEquals(1, changed, "statements with the tags column changed");
        assertTrue(normalise(expected.get(0)).startsWith("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".messages ("),
                expected.get(0));
        assertTrue(normalise(expected.get(0)).contains(" tags frozen<set<text>>, "), expected.get(0));
        assertSameStatements("journal.cql", expected);
    }

    @Test
    void snapshotFileMatchesPluginStatements() {
        assertSameStatements("snapshot.cql", plugin.getCreateSnapshotTablesStatements());
    }

    @Test
    void keyspaceFileCreatesTheKeyspaceWithTheReplicationFactor() {
        List<String> statements = Schema.statements("keyspace.cql", KEYSPACE, 3);
        assertEquals(1, statements.size());
        assertEquals("CREATE KEYSPACE IF NOT EXISTS schema_probe_ks WITH replication = "
                + "{'class': 'SimpleStrategy', 'replication_factor': 3}", normalise(statements.get(0)));
    }

    @Test
    void everyStatementIsIdempotentAndInTheKeyspace() {
        List<String> all = Schema.statements(KEYSPACE, 1);
        assertTrue(all.size() >= 9, "keyspace + 6 journal tables + 1 snapshot table + wallet.cql + archive.cql");
        for (String statement : all) {
            // A column added after a table's first release comes with its ALTER, also idempotent.
            assertTrue(statement.matches("(?s)CREATE (KEYSPACE|TABLE) IF NOT EXISTS schema_probe_ks\\b.*")
                || statement.matches("ALTER TABLE schema_probe_ks\\.\\w+ ADD IF NOT EXISTS \\w+ \\w+"), statement);
        }
    }

    @Test
    void filesAreAppliedInOrderKeyspaceFirst() {
        List<String> all = Schema.statements(KEYSPACE, 1);
        assertTrue(all.get(0).startsWith("CREATE KEYSPACE"), all.get(0));
        assertEquals(Schema.statements("journal.cql", KEYSPACE, 1), all.subList(1, 7));
        assertEquals(Schema.statements("snapshot.cql", KEYSPACE, 1), all.subList(7, 8));
        int wallet = Schema.statements("wallet.cql", KEYSPACE, 1).size();
        assertEquals(Schema.statements("wallet.cql", KEYSPACE, 1), all.subList(8, 8 + wallet));
        int archive = Schema.statements("archive.cql", KEYSPACE, 1).size();
        assertEquals(Schema.statements("archive.cql", KEYSPACE, 1), all.subList(8 + wallet, 8 + wallet + archive));
        int readside = Schema.statements("readside.cql", KEYSPACE, 1).size();
        assertEquals(Schema.statements("readside.cql", KEYSPACE, 1), all.subList(8 + wallet + archive, 8 + wallet + archive + readside));
        assertEquals(Schema.statements("api_keys.cql", KEYSPACE, 1), all.subList(8 + wallet + archive + readside, all.size()));
    }

    @Test
    void apiKeyFileKeepsHashesAndATtlChangeLog() {
        List<String> statements = Schema.statements("api_keys.cql", KEYSPACE, 1);
        assertEquals(3, statements.size());
        assertTrue(normalise(statements.get(0)).contains("key_hash blob"), statements.get(0));
        assertTrue(statements.stream().noneMatch(s -> s.matches("(?s).*\\bkey text\\b.*")), "no column holds a key itself");
        String changes = normalise(statements.get(2));
        assertTrue(changes.startsWith("CREATE TABLE IF NOT EXISTS schema_probe_ks.api_key_changes ("), changes);
        assertTrue(changes.contains("default_time_to_live = 172800"), changes);
    }

    @Test
    void archiveFileCreatesTheOneRowPartitionTtlTable() {
        List<String> statements = Schema.statements("archive.cql", KEYSPACE, 1);
        assertEquals(1, statements.size());
        String table = normalise(statements.get(0));
        assertTrue(table.startsWith("CREATE TABLE IF NOT EXISTS schema_probe_ks.archived_reservations ("), table);
        assertTrue(table.contains("PRIMARY KEY ((wallet_id, reservation_id))"), table);
        assertTrue(table.contains("'class': 'TimeWindowCompactionStrategy'"), table);
    }

    @Test
    void splitDropsCommentsAndEmptyStatements() {
        assertEquals(List.of(), Schema.split("-- only a comment\n\n  -- another; with a semicolon\n"));
        assertEquals(List.of("SELECT a FROM t", "SELECT b\nFROM u"),
                Schema.split("SELECT a FROM t; -- trailing\n;\nSELECT b -- why\nFROM u;\n"));
    }

    @Test
    void keyspaceNamesAreValidated() {
        assertEquals("wallet_1", Schema.validateKeyspace("wallet_1"));
        for (String bad : new String[] {"Wallet", "1wallet", "wal-let", "", "a".repeat(49), "w;drop"}) {
            assertThrows(IllegalArgumentException.class, () -> Schema.validateKeyspace(bad), bad);
        }
        assertEquals("a".repeat(48), Schema.validateKeyspace("a".repeat(48)));
        assertThrows(IllegalArgumentException.class, () -> Schema.statements("x-y", 1));
        assertThrows(IllegalArgumentException.class, () -> Schema.statements("wallet", 0));
    }

    private static void assertSameStatements(String file, List<String> generated) {
        List<String> committed = Schema.statements(file, KEYSPACE, 1).stream()
                .map(SchemaFilesTest::normalise).collect(Collectors.toList());
        List<String> expected = generated.stream().map(SchemaFilesTest::normalise).collect(Collectors.toList());
        if (!committed.equals(expected)) {
            String regenerated = generated.stream()
                    .map(s -> s.replace(KEYSPACE + ".", "${keyspace}.") + ";")
                    .collect(Collectors.joining("\n\n"));
            throw new AssertionError("src/main/resources/cql/" + file + " no longer matches the tables of"
                    + " pekko-persistence-cassandra. Its statements now are:\n\n" + regenerated + "\n");
        }
    }

    private static String normalise(String cql) {
        return cql.replaceAll("\\s+", " ").trim();
    }
}
