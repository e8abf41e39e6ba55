package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole chain on a real node: the extension's keyspace has the committed schema, and Pekko
 * Persistence configured by wallet-persistence.conf (no auto-create) writes to it and recovers.
 */
@ExtendWith(CassandraExtension.class)
class LocalCassandraIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static CassandraTestKeyspace fromBeforeAll;
    private final CassandraTestKeyspace fromConstructor;

    LocalCassandraIT(CassandraTestKeyspace cassandra) {
        this.fromConstructor = cassandra;
    }

    @BeforeAll
    static void rememberKeyspace(CassandraTestKeyspace cassandra) {
        fromBeforeAll = cassandra;
    }

    @Test
    void oneKeyspacePerClassWhereverItIsInjected(CassandraTestKeyspace cassandra) {
        assertEquals(cassandra, fromBeforeAll);
        assertEquals(cassandra, fromConstructor);
        assertEquals(cassandra, CassandraExtension.keyspaceOf(LocalCassandraIT.class).orElseThrow());
        assertTrue(cassandra.keyspace().startsWith("localcassandrait_"), cassandra.keyspace());
    }

    @Test
    void classKeyspaceHasAllTablesOfTheSchemaFiles(CassandraTestKeyspace cassandra) {
        Pattern createTable = Pattern.compile("CREATE TABLE IF NOT EXISTS " + cassandra.keyspace() + "\\.(\\w+)");
        Set<String> expected = Schema.statements(cassandra.keyspace(), 1).stream()
                .map(createTable::matcher).filter(Matcher::find).map(m -> m.group(1)).collect(Collectors.toSet());
        assertTrue(expected.containsAll(Set.of("messages", "tag_views", "tag_write_progress", "tag_scanning",
                "metadata", "all_persistence_ids", "snapshots")), expected.toString());
        try (CqlSession session = cassandra.openSession()) {
            Set<String> tables = session.execute(
                            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", cassandra.keyspace())
                    .all().stream().map(row -> row.getString("table_name")).collect(Collectors.toSet());
            assertEquals(expected, tables);
        }
    }

    @Test
    void eventSourcedBehaviorPersistsAndRecovers(CassandraTestKeyspace cassandra) {
        Config config = cassandra.config()
                .withFallback(ConfigFactory.parseString(String.join("\n",
                        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                        "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                        "pekko.loglevel = INFO")))
                .withFallback(ConfigFactory.load(PersistenceConfig.RESOURCE));
        ActorTestKit testKit = ActorTestKit.create("LocalCassandraIT", config);
        try {
            PersistenceId id = PersistenceId.ofUniqueId("recorder-1");
            TestProbe<Done> acks = testKit.createTestProbe();
            ActorRef<Recorder.Command> first = testKit.spawn(Recorder.create(id));
            for (String value : List.of("a", "b", "c")) {
                first.tell(new Recorder.Append(value, acks.ref()));
                acks.expectMessage(TIMEOUT, Done.getInstance());
            }
            testKit.stop(first, TIMEOUT);

            ActorRef<Recorder.Command> second = testKit.spawn(Recorder.create(id));
            TestProbe<List<String>> state = testKit.createTestProbe();
            second.tell(new Recorder.Get(state.ref()));
            assertEquals(List.of("a", "b", "c"), state.receiveMessage(TIMEOUT));
        } finally {
            testKit.shutdownTestKit();
        }

        try (CqlSession session = cassandra.openSession()) {
            Map<Long, Set<String>> tags = new TreeMap<>();
            session.execute("SELECT sequence_nr, tags FROM messages WHERE persistence_id = ? AND partition_nr = 0",
                    "recorder-1").forEach(row -> tags.put(row.getLong(0), row.getSet(1, String.class)));
            // Events are rows of the committed messages table, whose tags column is frozen
            // (journal.cql says why): the plugin writes an empty set and a tagged one into it.
            assertEquals(Map.of(1L, Set.of(), 2L, Set.of(Recorder.TAG), 3L, Set.of()), tags);
            assertEquals("frozen<set<text>>", session.execute("SELECT type FROM system_schema.columns"
                            + " WHERE keyspace_name = ? AND table_name = 'messages' AND column_name = 'tags'",
                    cassandra.keyspace()).one().getString(0));
        }
    }

    /** Minimal entity: appends strings, answers with all of them. */
    static final class Recorder extends EventSourcedBehavior<Recorder.Command, String, List<String>> {
        /** The tag of the event "b", so one row carries a non-empty set. */
        static final String TAG = "marked";

        interface Command {
        }

        record Append(String value, ActorRef<Done> replyTo) implements Command {
        }

        record Get(ActorRef<List<String>> replyTo) implements Command {
        }

        static Recorder create(PersistenceId id) {
            return new Recorder(id);
        }

        private Recorder(PersistenceId id) {
            super(id);
        }

        @Override
        public List<String> emptyState() {
            return List.of();
        }

        @Override
        public CommandHandler<Command, String, List<String>> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Append.class, (state, cmd) -> Effect().persist(cmd.value())
                            .thenReply(cmd.replyTo(), newState -> Done.getInstance()))
                    .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                    .build();
        }

        @Override
        public Set<String> tagsFor(String event) {
            return event.equals("b") ? Set.of(TAG) : Set.of();
        }

        @Override
        public EventHandler<List<String>, String> eventHandler() {
            return newEventHandlerBuilder().forAnyState()
                    .onEvent(String.class, (state, event) -> {
                        List<String> next = new ArrayList<>(state);
                        next.add(event);
                        return Collections.unmodifiableList(next);
                    })
                    .build();
        }
    }
}
