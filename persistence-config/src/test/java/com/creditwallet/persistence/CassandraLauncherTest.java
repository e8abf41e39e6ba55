package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Command-line handling of {@code bin/wallet cassandra}. */
class CassandraLauncherTest {

    @Test
    void defaults() throws Exception {
        assertEquals(new CassandraLauncher.Args(Path.of(".wallet-data/cassandra"), 9042, 7000, "wallet", 1, "1g"),
                CassandraLauncher.parse(new String[0]));
    }

    @Test
    void allOptionsInBothForms() throws Exception {
        assertEquals(new CassandraLauncher.Args(Path.of("/tmp/c"), 19042, 17000, "wallet_dev", 3, "512m"),
                CassandraLauncher.parse(new String[] {"--data-dir", "/tmp/c", "--port=19042", "--storage-port", "17000",
                        "--keyspace=wallet_dev", "--replication-factor", "3", "--heap", "512m"}));
    }

    @Test
    void badArgumentsAreRejected() {
        String[][] bad = {
                {"--port"}, {"--port", "x"}, {"--port", "0"}, {"--port=70000"}, {"--nope", "1"}, {"stray"},
                {"--keyspace", "Bad-Name"}, {"--replication-factor", "0"}, {"--heap", "lots"},
                {"--port", "7000"}};
        for (String[] args : bad) {
            assertThrows(CassandraLauncher.UsageException.class, () -> CassandraLauncher.parse(args), String.join(" ", args));
        }
    }
}
