package com.creditwallet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP/1.1 load generator: requests are due at a fixed rate whatever the server
 * does, each goes out on an idle keep-alive connection, and its latency runs from the instant it
 * was due, not from when a connection got free to send it.
 *
 * <p>Why open: a closed loop (wrk, {@link LoadRunner}) sends less when the server slows, so a
 * stall delays the requests that would have been sent during it without ever counting their wait
 * ("coordinated omission"), and its p99 looks better than what clients arriving at a steady rate
 * would see. Here a request that waits because every connection is busy has that wait in its
 * latency. There are far more connections than the rate needs, so on a healthy server the client
 * adds no queueing.
 *
 * <p>Why one thread: on 2 cores the client shares the CPUs with the node and Cassandra. The
 * first version handed each request to a worker thread that blocked on its socket, two thread
 * wake-ups per request: about 0.23 cores at 4,800 requests/s, three times wrk's cost per request.
 * This one does what wrk does, non-blocking sockets and a selector, and sends the requests that
 * are due whenever it wakes for an answer (0.10 cores at that rate). A request may go out up to a
 * millisecond after its due time when no answer wakes the loop sooner; that wait counts in its
 * latency, so the figures err on the slow side.
 */
public final class OpenLoop {

  /**
   * What the measured window saw: requests due in it ({@code scheduled}), how many of those
   * answered OK or failed (late answers included), latencies from their due times, the rate of
   * OK answers that arrived inside the window, and the most requests ever waiting for a connection.
   */
  public record Outcome(double targetRate, long scheduled, long ok, long errors, String firstError, double seconds,
                        Histogram latencyUs, double achievedRate, long maxBacklog, double clientCpuCores) {
    public double percentileMs(double p) {
      return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(p) / 1000.0;
    }
  }

  /** How long an answer may take before the request counts as failed and its connection closes. */
  static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** How long after the window requests already due may still be sent and answered. */
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(60);

  private OpenLoop() {}

  /**
   * Sends {@code rate} requests/s to {@code host:port} for {@code warmupSeconds} unmeasured then
   * {@code seconds} measured, over at most {@code connections} connections. {@code request} makes
   * the bytes of the n-th request (n from 0); an answer with status {@code okStatus} is a success.
   */
  public static Outcome run(String label, double rate, int connections, int warmupSeconds, int seconds,
                                     String host, int port, LongFunction<byte[]> request, int okStatus,
                                     LoadRunner.Window window) throws IOException {
    try (Selector selector = Selector.open()) {
      return new Loop(label, rate, connections, warmupSeconds, seconds, new InetSocketAddress(host, port), request,
          okStatus, window, selector).run();
    }
  }

  /** One keep-alive connection and the request it has in flight, if any. */
  private static final class Connection {
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    long dueAt;
    long sentAt;
    boolean busy;
  }

  private static final class Loop {
    final String label;
    final double intervalNs;
    final InetSocketAddress address;
    final LongFunction<byte[]> request;
    final int okStatus;
    final LoadRunner.Window window;
    final Selector selector;
    final long start;
    final long measureStart;
    final long measureEnd;
    final List<Connection> all = new ArrayList<>();
    final ArrayDeque<Connection> idle = new ArrayDeque<>();
    /** Due times of requests waiting for an idle connection, oldest first. */
    final ArrayDeque<Long> waiting = new ArrayDeque<>();
    final Histogram latency = new Histogram(LoadRunner.MAX_LATENCY_US, 3);
    /** Requests that have fallen due so far (put in line, not necessarily sent yet). */
    long fallenDue;
    /** Requests made so far: the number the next one is made with. */
    long made;
    long scheduled;
    long ok;
    long errors;
    long okInWindow;
    long answered;
    long maxBacklog;
    String firstError;

    Loop(String label, double rate, int connections, int warmupSeconds, int seconds, InetSocketAddress address,
         LongFunction<byte[]> request, int okStatus, LoadRunner.Window window, Selector selector) {
      this.label = label;
      this.intervalNs = 1e9 / rate;
      this.address = address;
      this.request = request;
      this.okStatus = okStatus;
      this.window = window;
      this.selector = selector;
      this.start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      this.measureStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
      this.measureEnd = measureStart + TimeUnit.SECONDS.toNanos(seconds);
      for (int i = 0; i < connections; i++) {
        Connection c = new Connection();
        all.add(c);
        idle.add(c);
      }
    }

    Outcome run() throws IOException {
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuAtStart = -1;
      long nextReport = start + TimeUnit.SECONDS.toNanos(5);
      long lastAnswered = 0;
      long lastAt = start;
      try {
        while (true) {
          long now = System.nanoTime();
          if (cpuAtStart < 0 && now >= measureStart) {
            cpuAtStart = os.getProcessCpuTime();
            window.opened();
          }
          // Every request already due goes in line now: a late loop catches up rather than sending less.
          long next = start + (long) (fallenDue * intervalNs);
          while (next <= now && next < measureEnd) {
            waiting.add(next);
            if (next >= measureStart) scheduled++;
            fallenDue++;
            next = start + (long) (fallenDue * intervalNs);
          }
          dispatch(now);
          if (now >= measureStart) maxBacklog = Math.max(maxBacklog, waiting.size());
          if (now >= measureEnd) break;
          if (now >= nextReport) {
            Log.line(String.format(Locale.ROOT, "  %s (%s): due %s/s, answered %s/s, waiting for a connection %d",
                label, now < measureStart ? "unmeasured" : "measuring", Report.ops(1e9 / intervalNs),
                Report.ops((answered - lastAnswered) / ((now - lastAt) / 1e9)), waiting.size()));
            lastAnswered = answered;
            lastAt = now;
            nextReport += TimeUnit.SECONDS.toNanos(5);
          }
          long wake = Math.min(Math.min(next, nextReport), measureEnd) - now;
          // select() takes milliseconds, and 0 would mean "forever": at least 1 ms, answers wake it sooner.
          select(wake <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake)));
        }
        long cpuAtEnd = os.getProcessCpuTime();
        if (cpuAtStart < 0) {
          cpuAtStart = cpuAtEnd;
          window.opened();
        }
        window.closed();
        // Requests due in the window are counted even when they answer after it: dropping the
        // slow ones would be the very omission an open loop exists to avoid.
        long until = System.nanoTime() + DRAIN_NANOS;
        while ((!waiting.isEmpty() || idle.size() < all.size()) && System.nanoTime() < until) {
          dispatch(System.nanoTime());
          select(10);
        }
        long now = System.nanoTime();
        for (Connection c : all) {
          if (c.busy) fail(c, now, "no answer within " + TimeUnit.NANOSECONDS.toSeconds(DRAIN_NANOS) + " s after the window");
        }
        while (!waiting.isEmpty()) count(waiting.poll(), now, "never sent: no connection was free");
        return new Outcome(1e9 / intervalNs, scheduled, ok, errors, firstError,
            (measureEnd - measureStart) / 1e9, latency.copy(), okInWindow / ((measureEnd - measureStart) / 1e9),
            maxBacklog, (cpuAtEnd - cpuAtStart) / 1e9 / ((measureEnd - measureStart) / 1e9));
      } finally {
        for (Connection c : all) close(c);
      }
    }

    /** Sends waiting requests on idle connections, oldest first. */
    private void dispatch(long now) {
      while (!waiting.isEmpty() && !idle.isEmpty()) {
        Connection c = idle.poll();
        long dueAt = waiting.poll();
        try {
          if (c.channel == null) connect(c);
          c.out = ByteBuffer.wrap(request.apply(made++));
          c.dueAt = dueAt;
          c.sentAt = now;
          c.busy = true;
          c.in.clear();
          c.channel.write(c.out);
          c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (IOException e) {
          c.dueAt = dueAt;
          c.busy = true;
          fail(c, System.nanoTime(), e.toString());
        }
      }
    }

    private void connect(Connection c) throws IOException {
      SocketChannel ch = SocketChannel.open();
      try {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(address); // blocking: on loopback it is immediate
        ch.configureBlocking(false);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        c.channel = ch;
      } catch (IOException e) {
        ch.close();
        throw e;
      }
    }

    private void select(long timeoutMillis) throws IOException {
      if (timeoutMillis == 0) selector.selectNow();
      else selector.select(timeoutMillis);
      long now = System.nanoTime();
      for (SelectionKey key : selector.selectedKeys()) {
        Connection c = (Connection) key.attachment();
        try {
          if (key.isValid() && key.isWritable() && c.out.hasRemaining()) {
            c.channel.write(c.out);
            if (!c.out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
          }
          if (key.isValid() && key.isReadable()) read(c, now);
        } catch (IOException | RuntimeException e) {
          fail(c, now, e.toString());
        }
      }
      selector.selectedKeys().clear();
      for (Connection c : all) {
        if (c.busy && now - c.sentAt > TIMEOUT_NANOS) {
          fail(c, now, "no answer within " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS) + " s");
        }
      }
    }

    private void read(Connection c, long now) throws IOException {
      if (!c.in.hasRemaining()) {
        ByteBuffer larger = ByteBuffer.allocate(c.in.capacity() * 2);
        c.in.flip();
        larger.put(c.in);
        c.in = larger;
      }
      int n = c.channel.read(c.in);
      if (n < 0) {
        if (c.busy) fail(c, now, "connection closed");
        else close(c);
        return;
      }
      if (!c.busy) throw new IOException("bytes from the server with no request in flight");
      HttpAnswer answer = HttpAnswer.parse(c.in.array(), c.in.position());
      if (answer == null) return; // not all there yet
      c.busy = false;
      if (answer.close()) {
        close(c);
      }
      idle.add(c);
      count(c.dueAt, now, answer.status() == okStatus ? null
          : "HTTP " + answer.status() + ": " + WalletScenarios.abbreviate(answer.body()));
    }

    /** The request in flight on {@code c} failed: counted, and the connection is closed for a fresh one. */
    private void fail(Connection c, long now, String error) {
      close(c);
      if (c.busy) {
        c.busy = false;
        idle.add(c);
        count(c.dueAt, now, error);
      }
    }

    private void count(long dueAt, long end, String error) {
      answered++;
      if (error == null && end >= measureStart && end < measureEnd) okInWindow++;
      if (dueAt >= measureStart && dueAt < measureEnd) {
        latency.recordValue(Math.min(LoadRunner.MAX_LATENCY_US, Math.max(1, (end - dueAt) / 1000)));
        if (error == null) {
          ok++;
        } else {
          errors++;
          if (firstError == null) firstError = error;
        }
      }
    }

    private static void close(Connection c) {
      if (c.channel == null) return;
      try {
        c.channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      c.channel = null;
      c.key = null;
    }
  }

  /**
   * A whole HTTP/1.1 response found at the start of a buffer: its status, its body as text, and
   * whether the server closes the connection after it. Content-Length and chunked bodies.
   */
  record HttpAnswer(int status, String body, boolean close) {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    /** The response in {@code bytes[0, length)}, or null while it is incomplete. */
    static HttpAnswer parse(byte[] bytes, int length) throws IOException {
      int headEnd = indexOf(bytes, 0, length, HEAD_END);
      if (headEnd < 0) return null;
      String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      HttpHead parsed = HttpHead.parse(lines[0], java.util.Arrays.asList(lines).subList(1, lines.length));
      int status = parsed.status();
      long contentLength = parsed.contentLength();
      boolean chunked = parsed.chunked();
      boolean close = parsed.close();
      int bodyStart = headEnd + HEAD_END.length;
      if (chunked) {
        StringBuilder body = new StringBuilder();
        int at = bodyStart;
        while (true) {
          int lineEnd = indexOf(bytes, at, length, new byte[] {'\r', '\n'});
          if (lineEnd < 0) return null;
          String size = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
          int semi = size.indexOf(';');
          int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
          at = lineEnd + 2;
          if (n == 0) {
            // Trailers, if any, end with an empty line.
            int end = indexOf(bytes, at - 2, length, HEAD_END);
            if (end < 0) return null;
            return new HttpAnswer(status, body.toString(), close);
          }
          if (length < at + n + 2) return null;
          body.append(new String(bytes, at, n, StandardCharsets.UTF_8));
          at += n + 2;
        }
      }
      if (contentLength < 0) throw new IOException("a response without a length cannot end on a kept-alive connection");
      if (length < bodyStart + contentLength) return null;
      if (length > bodyStart + contentLength) throw new IOException("bytes after the response: the server answered twice");
      return new HttpAnswer(status, new String(bytes, bodyStart, (int) contentLength, StandardCharsets.UTF_8), close);
    }

    private static int indexOf(byte[] bytes, int from, int to, byte[] what) {
      outer:
      for (int i = Math.max(0, from); i + what.length <= to; i++) {
        for (int j = 0; j < what.length; j++) {
          if (bytes[i + j] != what[j]) continue outer;
        }
        return i;
      }
      return -1;
    }
  }
}
