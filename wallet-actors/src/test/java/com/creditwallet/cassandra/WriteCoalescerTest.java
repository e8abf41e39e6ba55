package com.creditwallet.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

/** Which writes share a request, in which order, and what a failed request does to them. */
class WriteCoalescerTest {
  /** Records what was sent; each request completes when the test says so. */
  private static final class Sender {
    final List<Statement<?>> sent = new ArrayList<>();
    final List<CompletableFuture<Done>> replies = new ArrayList<>();

    CompletionStage<Done> send(Statement<?> s) {
      sent.add(s);
      CompletableFuture<Done> reply = new CompletableFuture<>();
      replies.add(reply);
      return reply;
    }

    void succeed(int request) {
      replies.get(request).complete(Done.getInstance());
    }

    /** The statements of request i, in order (one for a write sent as it was given). */
    List<String> partsOf(int request) {
      List<String> out = new ArrayList<>();
      Statement<?> s = sent.get(request);
      if (s instanceof BatchStatement b) {
        for (BatchableStatement<?> child : b) out.add(((SimpleStatement) child).getQuery());
      } else {
        out.add(((SimpleStatement) s).getQuery());
      }
      return out;
    }
  }

  private static SimpleStatement row(String partition, String name) {
    return SimpleStatement.newInstance("INSERT INTO t (k) VALUES ('" + name + "')")
        .setRoutingKey(ByteBuffer.wrap(partition.getBytes(StandardCharsets.UTF_8)));
  }

  private static String cql(String name) {
    return "INSERT INTO t (k) VALUES ('" + name + "')";
  }

  private final Sender sender = new Sender();

  private WriteCoalescer coalescer(int maxInFlight, int maxPartitions, int maxBytes) {
    return new WriteCoalescer(sender::send, new WriteCoalescer.Settings(maxInFlight, maxPartitions, maxBytes));
  }

  @Test
  void aWriteThatFindsNothingOutIsSentAtOnceAsItWasGiven() {
    WriteCoalescer c = coalescer(2, 10, 4096);
    SimpleStatement a = row("p1", "a");
    SimpleStatement b = row("p2", "b");
    CompletionStage<Done> doneA = c.write(a);
    CompletionStage<Done> doneB = c.write(b);
    assertEquals(List.of(a), sender.sent, "b waits: a request is out and b alone does not fill one");
    assertFalse(doneA.toCompletableFuture().isDone());
    sender.succeed(0);
    assertTrue(doneA.toCompletableFuture().isDone());
    assertSame(b, sender.sent.get(1));
    sender.succeed(1);
    assertTrue(doneB.toCompletableFuture().isDone());
  }

  @Test
  void fullRequestsGoOutBesideOthersUpToMaxInFlight() {
    WriteCoalescer c = coalescer(2, 3, 1 << 20);
    c.write(row("first", "first"));
    c.write(row("p0", "w0"));
    c.write(row("p1", "w1"));
    assertEquals(1, sender.sent.size());
    c.write(row("p2", "w2"));
    assertEquals(List.of(cql("w0"), cql("w1"), cql("w2")), sender.partsOf(1));
    for (int i = 3; i < 7; i++) c.write(row("p" + i, "w" + i));
    assertEquals(2, sender.sent.size(), "two requests out: the next full one waits for a slot");
    sender.succeed(0);
    assertEquals(List.of(cql("w3"), cql("w4"), cql("w5")), sender.partsOf(2));
    sender.succeed(1);
    assertEquals(3, sender.sent.size(), "w6 alone waits while a request is out");
    sender.succeed(2);
    assertEquals(List.of(cql("w6")), sender.partsOf(3));
  }

  @Test
  void writesThatWaitForASlotLeaveTogetherInOneUnloggedBatchInTheOrderTheyCame() {
    WriteCoalescer c = coalescer(1, 10, 4096);
    c.write(row("p1", "a"));
    CompletionStage<Done> b = c.write(row("p2", "b"));
    CompletionStage<Done> lines = c.write(BatchStatement.newInstance(BatchType.LOGGED, row("p3", "c1"), row("p3", "c2")));
    assertEquals(1, sender.sent.size());
    sender.succeed(0);
    assertEquals(2, sender.sent.size());
    assertEquals(BatchType.UNLOGGED, ((BatchStatement) sender.sent.get(1)).getBatchType());
    assertEquals(List.of(cql("b"), cql("c1"), cql("c2")), sender.partsOf(1));
    assertFalse(b.toCompletableFuture().isDone());
    sender.succeed(1);
    assertTrue(b.toCompletableFuture().isDone() && lines.toCompletableFuture().isDone());
    assertEquals(new WriteCoalescer.Stats(2, 3, 0), c.stats());
  }

  @Test
  void aRequestHoldsAtMostMaxPartitionsAndTheRestWaitForTheNext() {
    WriteCoalescer c = coalescer(1, 3, 1 << 20);
    c.write(row("first", "first"));
    for (int i = 0; i < 7; i++) c.write(row("p" + i, "w" + i));
    sender.succeed(0);
    assertEquals(List.of(cql("w0"), cql("w1"), cql("w2")), sender.partsOf(1));
    sender.succeed(1);
    assertEquals(List.of(cql("w3"), cql("w4"), cql("w5")), sender.partsOf(2));
    sender.succeed(2);
    assertFalse(sender.sent.get(3) instanceof BatchStatement, "a lone write is sent as it was given");
    assertEquals(List.of(cql("w6")), sender.partsOf(3));
    sender.succeed(3);
    assertEquals(4, sender.sent.size());
  }

  @Test
  void aRequestStaysUnderMaxBytesAndAWriteLargerThanThatGoesAlone() {
    WriteCoalescer c = coalescer(1, 10, 150);
    c.write(row("first", "first"));
    c.write(row("p1", "a"));
    c.write(row("p2", "b"));
    c.write(row("p3", "c"));
    CompletionStage<Done> big = c.write(row("p4", "x".repeat(500)));
    // Too large to share a request with anything: sent at once, as it was given.
    assertEquals(2, sender.sent.size());
    assertEquals(List.of(cql("x".repeat(500))), sender.partsOf(1));
    sender.succeed(1);
    assertTrue(big.toCompletableFuture().isDone());
    sender.succeed(0);
    // Each small row is estimated at 62 bytes (its CQL and a row's overhead): two fit in 150.
    assertEquals(List.of(cql("a"), cql("b")), sender.partsOf(2));
    sender.succeed(2);
    assertEquals(List.of(cql("c")), sender.partsOf(3));
  }

  @Test
  void twoWritesOfOnePartitionNeverShareARequest() {
    WriteCoalescer c = coalescer(1, 10, 4096);
    c.write(row("first", "first"));
    c.write(row("p1", "old"));
    c.write(row("p2", "other"));
    c.write(row("p1", "new"));
    c.write(row("p3", "later"));
    sender.succeed(0);
    assertEquals(List.of(cql("old"), cql("other")), sender.partsOf(1));
    sender.succeed(1);
    assertEquals(List.of(cql("new"), cql("later")), sender.partsOf(2));
  }

  @Test
  void aFailedRequestFailsEveryWriteInItAndTheNextRequestStillLeaves() {
    WriteCoalescer c = coalescer(1, 2, 4096);
    c.write(row("first", "first"));
    CompletionStage<Done> a = c.write(row("p1", "a"));
    CompletionStage<Done> b = c.write(row("p2", "b"));
    CompletionStage<Done> later = c.write(row("p3", "c"));
    sender.succeed(0);
    sender.replies.get(1).completeExceptionally(new IllegalStateException("write timed out"));
    for (CompletionStage<Done> failed : List.of(a, b)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> failed.toCompletableFuture().get());
      assertEquals("write timed out", e.getCause().getMessage());
    }
    assertEquals(List.of(cql("c")), sender.partsOf(2));
    sender.succeed(2);
    assertTrue(later.toCompletableFuture().isDone());
  }

  @Test
  void aWriteWithoutAKnownPartitionOrWithAConditionIsSentAloneAtOnce() {
    WriteCoalescer c = coalescer(1, 10, 4096);
    c.write(row("first", "first"));
    SimpleStatement unknown = SimpleStatement.newInstance("INSERT INTO t (k) VALUES ('u')");
    SimpleStatement claim = row("p1", "c").setQuery("INSERT INTO t (k) VALUES ('c') IF NOT EXISTS");
    BatchStatement twoPartitions = BatchStatement.newInstance(BatchType.UNLOGGED, row("p2", "x"), row("p3", "y"));
    c.write(unknown);
    c.write(claim);
    c.write(twoPartitions);
    assertEquals(List.of(row("first", "first").getQuery(), unknown.getQuery(), claim.getQuery()),
        sender.sent.subList(0, 3).stream().map(s -> ((SimpleStatement) s).getQuery()).toList());
    assertSame(twoPartitions, sender.sent.get(3));
  }

  @Test
  void settingsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new WriteCoalescer.Settings(0, 10, 4096));
    assertThrows(IllegalArgumentException.class, () -> new WriteCoalescer.Settings(1, 0, 4096));
  }
}
