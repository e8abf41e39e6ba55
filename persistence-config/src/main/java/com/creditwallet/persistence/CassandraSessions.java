package com.creditwallet.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens plain driver sessions for tooling and tests (readiness checks, schema, assertions).
 *
 * <p>Why it exists: {@code CqlSession.builder()} on its own reads {@code application.conf},
 * whose contact points (merged with the programmatic ones) may name another cluster. These
 * sessions are configured from the driver's defaults only, with the local data center set and
 * the schema/token metadata the tools never use turned off, and a quick close.
 */
public final class CassandraSessions {

    /** The data center that SimpleSnitch reports. */
    public static final String LOCAL_DATACENTER = "datacenter1";

    private CassandraSessions() {
    }

    /** A session to the given {@code host:port[,host:port...]}; close it after use. */
    public static CqlSession open(String contactPointsCsv) {
        return open(contactPointsCsv, null, Duration.ofSeconds(10));
    }

    /** Like {@link #open(String)}, with {@code keyspace} as the session's keyspace. */
    public static CqlSession open(String contactPointsCsv, String keyspace) {
        return open(contactPointsCsv, keyspace, Duration.ofSeconds(10));
    }

    static CqlSession open(String contactPointsCsv, String keyspace, Duration requestTimeout) {
        OptionsMap options = OptionsMap.driverDefaults();
        options.put(TypedDriverOption.REQUEST_TIMEOUT, requestTimeout);
        options.put(TypedDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5));
        options.put(TypedDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30));
        options.put(TypedDriverOption.METADATA_SCHEMA_ENABLED, false);
        options.put(TypedDriverOption.METADATA_TOKEN_MAP_ENABLED, false);
        // Short-lived sessions: do not spend the default 2 s quiet period on every close().
        options.put(TypedDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0);
        options.put(TypedDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(DriverConfigLoader.fromMap(options))
                .withLocalDatacenter(LOCAL_DATACENTER);
        for (String contactPoint : PersistenceConfig.contactPoints(contactPointsCsv)) {
            PersistenceConfig.HostAndPort hp = PersistenceConfig.HostAndPort.parse(contactPoint);
            builder.addContactPoint(new InetSocketAddress(hp.host(), hp.port()));
        }
        if (keyspace != null) {
            builder.withKeyspace(Schema.validateKeyspace(keyspace));
        }
        return builder.build();
    }
}
