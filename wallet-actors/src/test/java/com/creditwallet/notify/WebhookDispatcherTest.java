package com.creditwallet.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditwallet.wallet.ManualClock;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.typed.internal.AdaptMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's ordering against its own reads, driven one message at a time: reads of the
 * pending rows complete only when the test says, deliveries go to a real local HTTP receiver.
 */
class WebhookDispatcherTest {
  private static final String HOOK = "h-1";
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final HeldReadsQueue queue = new HeldReadsQueue();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(requests.incrementAndGet() == 1 ? 500 : 200, -1); // the first one fails
      exchange.close();
    });
    receiver.start();
    queue.webhook = new Webhook(HOOK, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "s3cret",
        Set.of("balance.low"), null, T0);
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void aReadThatStartedBeforeAnAttemptWasRecordedDoesNotSendItAgain() throws Exception {
    queue.rows.put("e-1", new PendingDelivery("e-1", T0, "{}", 0, null));
    BehaviorTestKit<WebhookDispatcher.Msg> kit = BehaviorTestKit.create(WebhookDispatcher.create(HOOK, queue,
        HttpClient.newHttpClient(), new WebhookDispatcher.Settings(new Backoff(Duration.ofSeconds(10),
            Duration.ofMinutes(1), 5), 4, Duration.ofSeconds(10), Duration.ofSeconds(30)), clock));

    runNext(kit); // the first poke: read 1
    queue.completeRead(0);
    runNext(kit); // loaded: e-1 is sent, the receiver answers 500
    kit.run(WebhookDispatcher.Poke.INSTANCE); // read 2 starts while e-1 is in flight and sees it due
    assertEquals(2, queue.reads.size());

    runNextArrival(kit); // the 500: attempt 1 recorded, retry in 5-10 s
    assertEquals(List.of("1 PENDING"), queue.attempts);
    runNextArrival(kit); // recorded, while read 2 is still out
    queue.completeRead(1); // read 2 lands, older than the record
    runNext(kit);
    assertEquals(3, queue.reads.size(), "a fresh read follows the stale one");
    queue.completeRead(2);
    runNext(kit); // e-1 is not due yet

    clock.advance(Duration.ofSeconds(11));
    kit.run(WebhookDispatcher.Poke.INSTANCE);
    queue.completeRead(3);
    runNext(kit); // the retry is sent, the receiver answers 200
    runNextArrival(kit);
    assertEquals(List.of("1 PENDING", "2 DELIVERED"), queue.attempts, "one retry, counted as the second attempt");
    assertEquals(2, requests.get());
  }

  /** Runs the next message, waiting (with a deadline) for one to arrive from outside, e.g. an HTTP answer. */
  private static void runNextArrival(BehaviorTestKit<WebhookDispatcher.Msg> kit) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!kit.selfInbox().hasMessages()) {
      if (System.nanoTime() > end) throw new AssertionError("no message within 30 s");
      Thread.sleep(10);
    }
    runNext(kit);
  }

  /**
   * Runs the next message of the dispatcher. Pekko 1.2.1's BehaviorTestKit hands a pipeToSelf
   * result over still wrapped (unwrapped upstream after 1.2.1), so this unwraps it.
   */
  private static void runNext(BehaviorTestKit<WebhookDispatcher.Msg> kit) {
    Object next = kit.selfInbox().receiveMessage();
    kit.run((WebhookDispatcher.Msg) (next instanceof AdaptMessage<?, ?> piped ? piped.adapt() : next));
  }

  /** Pending rows in memory; each read sees the rows as they were when it started, and completes when told. */
  private static final class HeldReadsQueue implements DeliveryQueue {
    volatile Webhook webhook;
    final Map<String, PendingDelivery> rows = new ConcurrentHashMap<>();
    final List<Map.Entry<List<PendingDelivery>, CompletableFuture<List<PendingDelivery>>>> reads =
        new CopyOnWriteArrayList<>();
    final List<String> attempts = new CopyOnWriteArrayList<>();

    void completeRead(int i) {
      Map.Entry<List<PendingDelivery>, CompletableFuture<List<PendingDelivery>>> read = reads.get(i);
      read.getValue().complete(read.getKey());
    }

    @Override
    public CompletionStage<Optional<Webhook>> get(String webhookId) {
      return CompletableFuture.completedFuture(Optional.of(webhook));
    }

    @Override
    public CompletionStage<List<PendingDelivery>> pending(String webhookId) {
      CompletableFuture<List<PendingDelivery>> f = new CompletableFuture<>();
      reads.add(Map.entry(new ArrayList<>(rows.values()), f));
      return f;
    }

    @Override
    public CompletionStage<Done> attempted(String webhookId, PendingDelivery p, String status, int attempts,
        Instant nextAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt) {
      this.attempts.add(attempts + " " + status);
      if (Delivery.PENDING.equals(status)) {
        rows.put(p.eventId(), new PendingDelivery(p.eventId(), p.createdAt(), p.payload(), attempts, nextAttemptAt));
      } else {
        rows.remove(p.eventId());
      }
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }
}
