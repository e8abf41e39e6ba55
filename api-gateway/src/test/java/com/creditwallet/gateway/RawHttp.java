package com.creditwallet.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends exactly the bytes given over a plain socket and reads one response: for requests no
 * well-behaved HTTP client would send (raw non-ASCII bytes, 5,000-character paths, broken
 * chunking, trailing garbage).
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;

  RawHttp(int port) {
    this.port = port;
  }

  record Response(int status, Map<String, String> headers, String body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    boolean isProblem() {
      return contentType().startsWith("application/problem+json") && json().path("status").asInt() == status
          && !json().path("code").asText().isEmpty();
    }
  }

  /** A request with an optional body, from its method and target ({@code Connection: close}). */
  Response send(String method, String target, Map<String, String> headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
    headers.forEach((k, v) -> write(out, k + ": " + v + "\r\n"));
    if (body != null) write(out, "Content-Length: " + body.length + "\r\n");
    write(out, "\r\n");
    if (body != null) out.writeBytes(body);
    return raw(out.toByteArray());
  }

  /**
   * Headers only, announcing a body of {@code length} bytes with {@code Expect: 100-continue}, as
   * curl does for a large body; the body is never sent. For bodies over the node's limit: the
   * node must answer without it. (A client that sends 1.1 MB at once races the node closing the
   * connection after its 413, and may read a reset instead of the answer.)
   */
  Response announce(String method, String target, Map<String, String> headers, long length) {
    Map<String, String> announced = new LinkedHashMap<>(headers);
    announced.put("Content-Length", Long.toString(length));
    announced.put("Expect", "100-continue");
    return send(method, target, announced, null);
  }

  /** Writes the bytes as they are and reads the response up to its end (or the connection's). */
  Response raw(byte[] request) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream os = s.getOutputStream();
      os.write(request);
      os.flush();
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException("raw request failed: " + e, e);
    }
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int headerEnd = -1;
    int contentLength = -1;
    while (true) {
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        throw new IOException("no complete response within 15 s; got: " + buf.toString(StandardCharsets.ISO_8859_1), e);
      }
      if (n < 0) break;
      buf.write(chunk, 0, n);
      byte[] all = buf.toByteArray();
      if (headerEnd < 0) {
        headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headerEnd >= 0) contentLength = contentLength(new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1));
      }
      if (headerEnd >= 0 && contentLength >= 0 && all.length >= headerEnd + 4 + contentLength) break;
    }
    byte[] all = buf.toByteArray();
    if (headerEnd < 0) throw new IOException("no response head: " + new String(all, StandardCharsets.ISO_8859_1));
    String[] head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(head[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
    }
    int start = headerEnd + 4;
    int end = contentLength >= 0 ? Math.min(all.length, start + contentLength) : all.length;
    return new Response(status, headers, new String(all, start, end - start, StandardCharsets.UTF_8));
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
    }
    return -1;
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
