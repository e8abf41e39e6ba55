package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@link LocalCassandra} that need no running node. */
class LocalCassandraTest {

    @TempDir
    Path dir;

    @Test
    void yamlHasTheLocalSingleNodeSettingsAndPortsCanBeReadBack() throws Exception {
        LocalCassandra.Options options = LocalCassandra.Options.of(dir);
        String yaml = LocalCassandra.cassandraYaml(options, 19042, 17000);
        for (String line : new String[] {
                "num_tokens: 16", "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "commitlog_directory: '" + dir.resolve("commitlog") + "'", "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms", "      - seeds: \"127.0.0.1:17000\"", "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1", "storage_port: 17000", "native_transport_port: 19042",
                "start_native_transport: true", "endpoint_snitch: SimpleSnitch", "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer", "auto_snapshot: false", "cluster_name: 'wallet-local'",
                "memtable_allocation_type: offheap_objects"}) {
            assertTrue(yaml.lines().anyMatch(line::equals), "missing line: " + line + "\n" + yaml);
        }
        Path file = Files.writeString(dir.resolve("cassandra.yaml"), yaml);
        assertEquals(OptionalInt.of(19042), LocalCassandra.previousPort(file, "native_transport_port"));
        assertEquals(OptionalInt.of(17000), LocalCassandra.previousPort(file, "storage_port"));
        assertEquals(OptionalInt.empty(), LocalCassandra.previousPort(dir.resolve("none.yaml"), "storage_port"));
    }

    @Test
    void theCommitLogModeIsChosenByName() {
        assertEquals("commitlog_sync: periodic\ncommitlog_sync_period: 10000ms", LocalCassandra.commitlogSync(null));
        assertEquals("commitlog_sync: group\ncommitlog_sync_group_window: 15ms", LocalCassandra.commitlogSync("GROUP"));
        assertEquals("commitlog_sync: batch", LocalCassandra.commitlogSync("batch"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> LocalCassandra.commitlogSync("fsync"));
        assertTrue(e.getMessage().contains("periodic, group or batch"), e.getMessage());
    }

    @Test
    void optionsAreValidated() {
        LocalCassandra.Options ok = LocalCassandra.Options.of(dir);
        assertEquals("1g", ok.heap());
        assertEquals(Duration.ofSeconds(180), ok.startTimeout());
        assertThrows(IllegalArgumentException.class, () -> ok.withHeap("1 GB"));
        assertThrows(IllegalArgumentException.class, () -> ok.withNativePort(70000));
        assertThrows(IllegalArgumentException.class, () -> ok.withNativePort(9000).withStoragePort(9000));
        assertThrows(IllegalArgumentException.class, () -> ok.withClusterName("a'b"));
        assertThrows(IllegalArgumentException.class, () -> ok.withStartTimeout(Duration.ZERO));
    }

    @Test
    void launcherComesFromItsOwnDirectoryOrThinJarButIsCopiedOutOfAFatJar() throws Exception {
        assertEquals(dir, LocalCassandra.launcherLocation(dir.resolve("data"), dir));

        Path thin = jar("persistence-config.jar", "com/creditwallet/persistence/CassandraNodeMain.class", "cql/journal.cql");
        assertEquals(thin, LocalCassandra.launcherLocation(dir.resolve("data"), thin));

        Path fat = jar("wallet-all.jar", "com/creditwallet/persistence/CassandraNodeMain.class",
                "org/apache/pekko/actor/ActorSystem.class");
        Path extracted = LocalCassandra.launcherLocation(dir.resolve("data"), fat);
        assertEquals(dir.resolve("data/launcher-classes"), extracted);
        assertTrue(Files.size(extracted.resolve("com/creditwallet/persistence/CassandraNodeMain.class")) > 0);
    }

    private Path jar(String name, String... entries) throws Exception {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (String entry : entries) {
                jarOut.putNextEntry(new JarEntry(entry));
                jarOut.write(1);
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
