package com.creditwallet.gateway.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One wallet node as its own JVM on loopback ({@code bin/wallet cluster}, the cluster test): a
 * child process running {@link ChildNodeMain} on the given classpath, configured only through
 * the environment, exactly as {@code bin/wallet node} is. Its output goes to a log file.
 */
public final class NodeProcess implements AutoCloseable {
  /** The three ports of node {@code index}: each base port plus the index. */
  public record Ports(int http, int remote, int management) {
    public static Ports of(int httpBase, int remoteBase, int managementBase, int index) {
      return new Ports(httpBase + index, remoteBase + index, managementBase + index);
    }
  }

  /** What every node of one cluster shares; {@code env}: further environment variables. */
  public record Settings(
      String classpath, List<String> jvmOptions, String cassandraContactPoint, String keyspace,
      String adminKey, Path logDir, Map<String, String> env) {}

  private static final int LOG_TAIL_LINES = 40;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final int index;
  private final Ports ports;
  private final Process process;
  private final OutputStream stdinPipe;
  private final Path log;

  private NodeProcess(int index, Ports ports, Process process, Path log) {
    this.index = index;
    this.ports = ports;
    this.process = process;
    this.stdinPipe = process.getOutputStream();
    this.log = log;
  }

  /**
   * Starts node {@code index} joining {@code seedNodes} ("host:port,..." remote ports; empty for
   * the first node, which then forms the cluster). Returns at once; see {@link #awaitReady}.
   */
  public static NodeProcess start(Settings settings, int index, Ports ports, String seedNodes) {
    Path log = settings.logDir().resolve("node-" + index + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.jvmOptions());
    command.add("-cp");
    command.add(settings.classpath());
    command.add(ChildNodeMain.class.getName());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("WALLET_HTTP_PORT", Integer.toString(ports.http()));
    env.put("WALLET_REMOTE_PORT", Integer.toString(ports.remote()));
    env.put("WALLET_MANAGEMENT_PORT", Integer.toString(ports.management()));
    env.put("WALLET_SEED_NODES", seedNodes);
    env.remove("WALLET_BOOTSTRAP_NODES");
    env.put("WALLET_CASSANDRA_CONTACT_POINTS", settings.cassandraContactPoint());
    env.put("WALLET_CASSANDRA_KEYSPACE", settings.keyspace());
    env.put("WALLET_ADMIN_KEY", settings.adminKey());
    env.putAll(settings.env());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.createDirectories(settings.logDir());
      return new NodeProcess(index, ports, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start node " + index, e);
    }
  }

  public int index() {
    return index;
  }

  public Ports ports() {
    return ports;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public String url() {
    return "http://127.0.0.1:" + ports.http();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until /health/ready answers 200 (an Up member whose sharding and journal answer). */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "node " + index + " exited with " + process.exitValue() + "; see " + log + logTail());
      }
      if (ready()) return;
      sleepQuietly(250);
    }
    throw new IllegalStateException("node " + index + " not ready within " + timeout + "; see " + log + logTail());
  }

  /**
   * The end of the node's log, for a failure message: a CI run keeps only the build's output, so
   * a message that only named the log file would leave the cause unknown.
   */
  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return "; its last " + tail.size() + " lines:\n" + String.join("\n", tail);
    } catch (IOException | UncheckedIOException e) {
      return "; its log could not be read: " + e.getMessage();
    }
  }

  private boolean ready() {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
          .timeout(Duration.ofSeconds(5)).GET().build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: the JVM dies at once, no shutdown hook, no leaving; the cluster must notice. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM: coordinated shutdown (hand off shards, leave), then the JVM exits. */
  public void stopGracefully() {
    process.destroy();
  }

  /** Waits for the process to end; true if it did. */
  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops gracefully, or by SIGKILL after {@code grace}; never leaves the process behind. */
  public void stop(Duration grace) {
    if (process.isAlive()) {
      stopGracefully();
      if (!waitFor(grace)) kill();
    }
    try {
      stdinPipe.close();
    } catch (IOException ignored) {
      // Closing only helps the watchdog; the process is gone already.
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
