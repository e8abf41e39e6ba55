package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overlay and the shared file together must point both plugins at one keyspace. */
class PersistenceConfigTest {

    @Test
    void sharedFileConfiguresThePluginsWithoutAutoCreate() {
        Config config = ConfigFactory.load(PersistenceConfig.RESOURCE);
        assertEquals("pekko.persistence.cassandra.journal", config.getString("pekko.persistence.journal.plugin"));
        assertEquals("pekko.persistence.cassandra.snapshot", config.getString("pekko.persistence.snapshot-store.plugin"));
        for (String plugin : List.of("journal", "snapshot")) {
            String path = "pekko.persistence.cassandra." + plugin;
            assertEquals("wallet", config.getString(path + ".keyspace"));
            assertFalse(config.getBoolean(path + ".keyspace-autocreate"));
            assertFalse(config.getBoolean(path + ".tables-autocreate"));
        }
        assertEquals("datacenter1", config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"));
        assertEquals(5, config.getDuration("datastax-java-driver.basic.request.timeout").toSeconds());
    }

    @Test
    void walletsJournalSkipsDeletesAndTheProbesJournalKeepsThem() {
        Config config = ConfigFactory.load(PersistenceConfig.RESOURCE);
        assertFalse(config.getBoolean("pekko.persistence.cassandra.journal.support-deletes"));
        assertFalse(config.getBoolean("pekko.persistence.cassandra.journal.support-all-persistence-ids"));
        // The probe's instance is a full copy of the plugin (its shared settings sit one level up).
        assertEquals(config.getString("pekko.persistence.cassandra.journal.class"),
                config.getString("wallet.journal-probe.journal.class"));
        assertEquals(true, config.getBoolean("wallet.journal-probe.journal.support-deletes"));
        assertFalse(config.getBoolean("pekko.persistence.cassandra.events-by-tag.enabled"));
        assertEquals("wallet", config.getString("wallet.journal-probe.journal.keyspace"));
        assertFalse(config.getBoolean("wallet.journal-probe.journal.tables-autocreate"));
        assertEquals(config.getString("pekko.persistence.cassandra.datastax-java-driver-config"),
                config.getString("wallet.journal-probe.datastax-java-driver-config"));
    }

    @Test
    void walletsSnapshotsAreWrittenInTheBackgroundAndTheProbesAreNot() {
        Config config = ConfigFactory.load(PersistenceConfig.RESOURCE);
        assertEquals(BackgroundSnapshotStore.class.getName(),
                config.getString("pekko.persistence.cassandra.snapshot.class"));
        assertEquals(4, config.getInt("pekko.persistence.cassandra.snapshot.max-background-writes"));
        // The probe deletes its events once a snapshot is acknowledged: that must mean written.
        assertEquals("org.apache.pekko.persistence.cassandra.snapshot.CassandraSnapshotStore",
                config.getString("wallet.journal-probe.snapshot.class"));
    }

    @Test
    void includingTheFileFollowsTheWalletKeyspaceSetting() {
        Config config = ConfigFactory.parseString("include \"wallet-persistence.conf\"\nwallet.cassandra.keyspace = other")
                .resolve();
        assertEquals("other", config.getString("pekko.persistence.cassandra.journal.keyspace"));
        assertEquals("other", config.getString("pekko.persistence.cassandra.snapshot.keyspace"));
        assertEquals("other", config.getString("wallet.journal-probe.journal.keyspace"));
    }

    @Test
    void overlaySetsContactPointsAndKeyspaceOverAResolvedFallback() {
        Config config = PersistenceConfig.cassandra("10.0.0.1:9142, cass2", "ks_a")
                .withFallback(ConfigFactory.load(PersistenceConfig.RESOURCE));
        assertEquals(List.of("10.0.0.1:9142", "cass2:9042"), config.getStringList("datastax-java-driver.basic.contact-points"));
        assertEquals("ks_a", config.getString("wallet.cassandra.keyspace"));
        assertEquals("ks_a", config.getString("pekko.persistence.cassandra.journal.keyspace"));
        assertEquals("ks_a", config.getString("pekko.persistence.cassandra.snapshot.keyspace"));
        assertEquals("ks_a", config.getString("wallet.journal-probe.journal.keyspace"));
    }

    @Test
    void environmentWithDefaults() {
        Config defaults = PersistenceConfig.fromEnvironment(Map.<String, String>of()::get);
        assertEquals(List.of("127.0.0.1:9042"), defaults.getStringList("datastax-java-driver.basic.contact-points"));
        assertEquals("wallet", defaults.getString("pekko.persistence.cassandra.journal.keyspace"));

        Config set = PersistenceConfig.fromEnvironment(Map.of(
                PersistenceConfig.CONTACT_POINTS_ENV, "a:1,b:2",
                PersistenceConfig.KEYSPACE_ENV, "wallet_test")::get);
        assertEquals(List.of("a:1", "b:2"), set.getStringList("datastax-java-driver.basic.contact-points"));
        assertEquals("wallet_test", set.getString("pekko.persistence.cassandra.snapshot.keyspace"));
    }

    @Test
    void contactPointParsing() {
        assertEquals(List.of("[::1]:9043", "[::1]:9042", "h:1"), PersistenceConfig.contactPoints("[::1]:9043,[::1], h:1,"));
        for (String bad : new String[] {"", " , ", "h:0", "h:x", "::1", ":9042", "h:70000", "[::1"}) {
            assertThrows(IllegalArgumentException.class, () -> PersistenceConfig.contactPoints(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> PersistenceConfig.cassandra("h:1", "Bad-Name"));
    }
}
