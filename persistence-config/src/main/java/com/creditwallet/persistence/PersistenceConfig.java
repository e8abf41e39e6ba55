package com.creditwallet.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Config overlays that point the persistence plugin at a Cassandra cluster and keyspace.
 *
 * <p>Why it exists: {@code wallet-persistence.conf} holds what is the same everywhere; what
 * differs per environment or per test (contact points, keyspace) is set here in one place, so
 * the app, the tests and the tools agree on which keys that takes. Layer the result on top:
 * {@code PersistenceConfig.fromEnvironment().withFallback(ConfigFactory.load())}.
 */
public final class PersistenceConfig {

    /** Comma-separated {@code host:port} list of Cassandra nodes. */
    public static final String CONTACT_POINTS_ENV = "WALLET_CASSANDRA_CONTACT_POINTS";
    /** Keyspace holding the journal, snapshots and the service's tables. */
    public static final String KEYSPACE_ENV = "WALLET_CASSANDRA_KEYSPACE";
    public static final String DEFAULT_CONTACT_POINTS = "127.0.0.1:9042";
    public static final String DEFAULT_KEYSPACE = "wallet";
    public static final int DEFAULT_CQL_PORT = 9042;
    /** The classpath resource with the shared settings, to {@code include} or to load. */
    public static final String RESOURCE = "wallet-persistence.conf";

    private PersistenceConfig() {
    }

    /**
     * An overlay setting the driver's contact points and the keyspace of journal and snapshot
     * store (the readiness probe's journal instance too). It sets the plugin keys too, not only {@code wallet.cassandra.keyspace}: a fallback
     * that was already resolved (such as {@code ConfigFactory.load("wallet-persistence.conf")})
     * no longer follows that substitution.
     */
    public static Config cassandra(String contactPointsCsv, String keyspace) {
        List<String> contactPoints = contactPoints(contactPointsCsv);
        String ks = Schema.validateKeyspace(keyspace);
        Map<String, Object> values = new HashMap<>();
        values.put("datastax-java-driver.basic.contact-points", contactPoints);
        values.put("wallet.cassandra.keyspace", ks);
        values.put("pekko.persistence.cassandra.journal.keyspace", ks);
        values.put("pekko.persistence.cassandra.snapshot.keyspace", ks);
        values.put("wallet.journal-probe.journal.keyspace", ks);
        values.put("wallet.journal-probe.snapshot.keyspace", ks);
        return ConfigFactory.parseMap(values, "PersistenceConfig.cassandra(" + contactPointsCsv + ", " + ks + ")");
    }

    /**
     * {@link #cassandra} from {@code WALLET_CASSANDRA_CONTACT_POINTS} (default
     * {@value #DEFAULT_CONTACT_POINTS}) and {@code WALLET_CASSANDRA_KEYSPACE} (default
     * {@value #DEFAULT_KEYSPACE}).
     */
    public static Config fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    static Config fromEnvironment(Function<String, String> env) {
        return cassandra(orDefault(env.apply(CONTACT_POINTS_ENV), DEFAULT_CONTACT_POINTS),
                orDefault(env.apply(KEYSPACE_ENV), DEFAULT_KEYSPACE));
    }

    /**
     * Parses {@code "host:port,host:port"} into {@code host:port} strings as the driver's
     * {@code basic.contact-points} expects them; a missing port means {@value #DEFAULT_CQL_PORT}.
     * IPv6 literals go in brackets: {@code [::1]:9042}.
     */
    public static List<String> contactPoints(String csv) {
        if (csv == null || csv.isBlank()) {
            throw new IllegalArgumentException("No Cassandra contact points given");
        }
        List<String> result = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            HostAndPort hp = HostAndPort.parse(entry);
            result.add(hp.host().contains(":") ? "[" + hp.host() + "]:" + hp.port() : hp.host() + ":" + hp.port());
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("No Cassandra contact points in '" + csv + "'");
        }
        return List.copyOf(result);
    }

    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value.trim();
    }

    /** One parsed contact point. */
    record HostAndPort(String host, int port) {

        static HostAndPort parse(String entry) {
            String host;
            String port = null;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw invalid(entry);
                }
                host = entry.substring(1, close);
                String rest = entry.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw invalid(entry);
                    }
                    port = rest.substring(1);
                }
            } else {
                int colon = entry.lastIndexOf(':');
                if (colon >= 0 && entry.indexOf(':') != colon) {
                    throw invalid(entry); // unbracketed IPv6 is ambiguous
                }
                host = colon < 0 ? entry : entry.substring(0, colon);
                port = colon < 0 ? null : entry.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw invalid(entry);
            }
            int p = DEFAULT_CQL_PORT;
            if (port != null) {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw invalid(entry);
                }
                if (p < 1 || p > 65535) {
                    throw invalid(entry);
                }
            }
            return new HostAndPort(host, p);
        }

        private static IllegalArgumentException invalid(String entry) {
            return new IllegalArgumentException("Invalid Cassandra contact point '" + entry
                    + "': expected host:port (IPv6 as [addr]:port)");
        }
    }
}
