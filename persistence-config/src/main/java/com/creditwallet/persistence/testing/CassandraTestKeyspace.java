package com.creditwallet.persistence.testing;

import com.creditwallet.persistence.CassandraSessions;
import com.creditwallet.persistence.PersistenceConfig;
import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The Cassandra node and keyspace (schema applied) that {@link CassandraExtension} gives one
 * test class.
 *
 * <p>Why it exists: tests need both where Cassandra is and which keyspace is theirs, and the
 * matching Pekko config overlay; one value injected as a parameter carries all of it.
 *
 * @param contactPoint {@code host:port} (or a comma-separated list of them)
 * @param keyspace     the test class's own keyspace
 */
public record CassandraTestKeyspace(String contactPoint, String keyspace) {

    /**
     * {@link PersistenceConfig#cassandra} for this node and keyspace; layer it over the
     * application's config, e.g. {@code config().withFallback(ConfigFactory.load("wallet-persistence.conf"))}.
     */
    public Config config() {
        return PersistenceConfig.cassandra(contactPoint, keyspace);
    }

    /**
     * An actor system's whole config for a test on this keyspace: {@link #config()} over the shared
     * persistence settings, with Pekko logging only warnings (the plugins are chatty at start).
     */
    public Config actorSystemConfig() {
        return config()
                .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING"))
                .withFallback(ConfigFactory.load(PersistenceConfig.RESOURCE));
    }

    /** A new driver session using this keyspace, for assertions; close it after use. */
    public CqlSession openSession() {
        return CassandraSessions.open(contactPoint, keyspace);
    }
}
