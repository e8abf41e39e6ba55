package com.creditwallet.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One keep-alive HTTP/1.1 connection, one request at a time, blocking: the load generator's
 * client, one per load thread (like one wrk connection).
 *
 * <p>Why it exists: on 2 cores the client shares the CPUs with the node and Cassandra, so its
 * cost per request matters. Measured against the same node on a busy machine,
 * {@link java.net.http.HttpClient} used about 0.3 cores for ~300 requests/s (its async pipeline);
 * this plain socket client, which writes the request bytes and parses status line, headers and a
 * Content-Length or chunked body, used about 0.04 cores for twice the rate. Thread-per-connection
 * still trails wrk under CPU contention, so it drives the batches (c) and is the fallback for
 * a and b when wrk is missing. Any I/O error closes the connection; the next request reconnects.
 */
public final class Http1Connection implements Closeable {

  /** A response: status code and body text. */
  public record Response(int status, String body) {}

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public Http1Connection(String host, int port, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /** Sends one request with a JSON body and reads the whole response. */
  public Response send(String method, String path, String authorization, String json) throws IOException {
    byte[] request = request(host, port, method, path, authorization, json);
    if (socket == null) connect();
    try {
      out.write(request);
      out.flush();
      return read();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The bytes of a request with a JSON body, as this client and {@link OpenLoop} send it. */
  static byte[] request(String host, int port, String method, String path, String authorization, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head = (method + " " + path + " HTTP/1.1\r\n"
        + "Host: " + host + ":" + port + "\r\n"
        + "Authorization: " + authorization + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
  }

  private Response read() throws IOException {
    String status = line();
    List<String> headers = new ArrayList<>();
    for (String h = line(); !h.isEmpty(); h = line()) headers.add(h);
    HttpHead head = HttpHead.parse(status, headers);
    int code = head.status();
    long length = head.contentLength();
    boolean chunked = head.chunked();
    boolean close = head.close();
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        all.write(in.readNBytes(n));
        line();
      }
      body = all.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length != length) throw new EOFException("connection closed in the body");
    } else {
      body = in.readAllBytes();
      close = true;
    }
    if (close) close();
    return new Response(code, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) throw new EOFException("connection closed");
      if (c == '\n') break;
      if (c != '\r') sb.append((char) c);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    socket = null;
    in = null;
    out = null;
  }
}
