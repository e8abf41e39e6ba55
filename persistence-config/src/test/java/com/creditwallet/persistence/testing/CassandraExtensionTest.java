package com.creditwallet.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keyspace names derived from test classes must always be valid and distinct. */
class CassandraExtensionTest {

    @Test
    void keyspaceNamesAreSanitisedAndShort() {
        assertTrue(CassandraExtension.keyspaceName("WalletEntityIT").matches("walletentityit_[a-z0-9]{6}"));
        assertTrue(CassandraExtension.keyspaceName("Ünïcode$Inner").matches("t__n_code_inner_[a-z0-9]{6}"));
        assertTrue(CassandraExtension.keyspaceName("9Lives").startsWith("t_9lives_"));
        String longName = CassandraExtension.keyspaceName("A".repeat(100));
        assertTrue(longName.length() <= 48, longName);
        assertNotEquals(CassandraExtension.keyspaceName("Same"), CassandraExtension.keyspaceName("Same"));
    }
}
