package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.persistence.testing.CassandraExtension;
import com.creditwallet.persistence.testing.CassandraTestKeyspace;
import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.serialization.JSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The snapshot store of wallet-persistence.conf on a real node: an entity keeps answering while
 * its snapshot is still being serialized (Pekko's own store would hold every reply until the
 * snapshot is written), the snapshot is written all the same, and past the configured number of
 * background writes a snapshot is acknowledged only once written.
 *
 * <p>The state's serializer waits for a gate the test opens, which holds a snapshot "being
 * written" for as long as the test needs, without timing.
 */
@ExtendWith(CassandraExtension.class)
class BackgroundSnapshotStoreIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Closed: a snapshot's serialization waits. */
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    /** A permit each time a snapshot starts serializing. */
    private static final Semaphore serializing = new Semaphore(0);

    private ActorTestKit kit;

    @AfterEach
    void stop() {
        gate.countDown();
        if (kit != null) kit.shutdownTestKit();
    }

    private ActorTestKit start(CassandraTestKeyspace cassandra, int maxBackgroundWrites) {
        Config config = ConfigFactory.parseString(String.join("\n",
                        "pekko.persistence.cassandra.snapshot.max-background-writes = " + maxBackgroundWrites,
                        "pekko.actor.serializers.gated = \"" + GatedSerializer.class.getName() + "\"",
                        "pekko.actor.serialization-bindings { \"" + Gated.class.getName() + "\" = gated }"))
                .withFallback(cassandra.actorSystemConfig());
        kit = ActorTestKit.create("BackgroundSnapshotStoreIT", config);
        serializing.drainPermits();
        return kit;
    }

    @Test
    void anEntityKeepsAnsweringWhileItsSnapshotsAreWrittenAndRecoversFromThem(CassandraTestKeyspace cassandra)
            throws Exception {
        start(cassandra, 4);
        gate = new CountDownLatch(1);
        PersistenceId id = PersistenceId.ofUniqueId("counter-background");
        TestProbe<Done> acks = kit.createTestProbe();
        ActorRef<Counter.Command> counter = kit.spawn(Counter.create(id));

        // Every event asks for a snapshot, and none can be serialized until the gate opens:
        // with Pekko's own store the first reply would wait for the gate.
        for (int i = 0; i < 3; i++) {
            counter.tell(new Counter.Add(acks.ref()));
            acks.expectMessage(TIMEOUT, Done.getInstance());
        }
        assertTrue(serializing.tryAcquire(3, TIMEOUT.toSeconds(), TimeUnit.SECONDS), "three snapshots were started");
        assertEquals(List.of(), snapshotSequenceNumbers(cassandra, id), "none is written while the gate is closed");

        gate.countDown();
        awaitSnapshots(cassandra, id, List.of(1L, 2L, 3L));

        kit.stop(counter, TIMEOUT);
        ActorRef<Counter.Command> recovered = kit.spawn(Counter.create(id));
        TestProbe<Long> value = kit.createTestProbe();
        recovered.tell(new Counter.Get(value.ref()));
        assertEquals(3L, value.receiveMessage(TIMEOUT));
    }

    @Test
    void pastTheLimitASnapshotIsAcknowledgedOnlyOnceWritten(CassandraTestKeyspace cassandra) throws Exception {
        start(cassandra, 1);
        gate = new CountDownLatch(1);
        PersistenceId id = PersistenceId.ofUniqueId("counter-limit");
        TestProbe<Done> acks = kit.createTestProbe();
        ActorRef<Counter.Command> counter = kit.spawn(Counter.create(id));

        counter.tell(new Counter.Add(acks.ref()));
        acks.expectMessage(TIMEOUT, Done.getInstance());
        // The second snapshot is past the limit of one: its command's reply waits for it.
        counter.tell(new Counter.Add(acks.ref()));
        assertTrue(serializing.tryAcquire(2, TIMEOUT.toSeconds(), TimeUnit.SECONDS), "both snapshots were started");
        acks.expectNoMessage(Duration.ofMillis(500));

        gate.countDown();
        acks.expectMessage(TIMEOUT, Done.getInstance());
        awaitSnapshots(cassandra, id, List.of(1L, 2L));
    }

    private static void awaitSnapshots(CassandraTestKeyspace cassandra, PersistenceId id, List<Long> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<Long> seen = snapshotSequenceNumbers(cassandra, id);
        while (!seen.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = snapshotSequenceNumbers(cassandra, id);
        }
        assertEquals(expected, seen, "snapshots written in the background");
    }

    private static List<Long> snapshotSequenceNumbers(CassandraTestKeyspace cassandra, PersistenceId id) {
        List<Long> out = new ArrayList<>();
        try (CqlSession session = cassandra.openSession()) {
            session.execute("SELECT sequence_nr FROM snapshots WHERE persistence_id = ?", id.id())
                    .forEach(row -> out.add(row.getLong(0)));
        }
        out.sort(null);
        return out;
    }

    /** The counter's state: serialized by {@link GatedSerializer}. */
    record Gated(long value) {
    }

    /** Serializes {@link Gated} once the gate is open. */
    public static final class GatedSerializer extends JSerializer {
        @Override
        public int identifier() {
            return 918_273;
        }

        @Override
        public boolean includeManifest() {
            return false;
        }

        @Override
        public byte[] toBinary(Object o) {
            serializing.release();
            try {
                if (!gate.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return ByteBuffer.allocate(Long.BYTES).putLong(((Gated) o).value()).array();
        }

        @Override
        public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
            return new Gated(ByteBuffer.wrap(bytes).getLong());
        }
    }

    /** Counts its events and asks for a snapshot after each one. */
    static final class Counter extends EventSourcedBehavior<Counter.Command, String, Gated> {

        interface Command {
        }

        record Add(ActorRef<Done> replyTo) implements Command {
        }

        record Get(ActorRef<Long> replyTo) implements Command {
        }

        static Counter create(PersistenceId id) {
            return new Counter(id);
        }

        private Counter(PersistenceId id) {
            super(id);
        }

        @Override
        public Gated emptyState() {
            return new Gated(0);
        }

        @Override
        public boolean shouldSnapshot(Gated state, String event, long sequenceNr) {
            return true;
        }

        @Override
        public CommandHandler<Command, String, Gated> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Add.class, (state, cmd) -> Effect().persist("added")
                            .thenReply(cmd.replyTo(), next -> Done.getInstance()))
                    .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.value()))
                    .build();
        }

        @Override
        public EventHandler<Gated, String> eventHandler() {
            return newEventHandlerBuilder().forAnyState()
                    .onEvent(String.class, (state, event) -> new Gated(state.value() + 1))
                    .build();
        }
    }
}
