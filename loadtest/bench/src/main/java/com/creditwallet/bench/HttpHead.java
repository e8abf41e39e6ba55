package com.creditwallet.bench;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * What the bench's HTTP clients need from a response's status line and headers: the status, how
 * the body's end is known (Content-Length, chunked, or neither) and whether the server closes the
 * connection after it. One parser for both clients ({@link Http1Connection} reads the head from a
 * stream, {@link OpenLoop} from a buffer), so they cannot come to disagree.
 */
record HttpHead(int status, long contentLength, boolean chunked, boolean close) {

  /** The head from its status line and header lines (without their line ends). */
  static HttpHead parse(String statusLine, List<String> headers) throws IOException {
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean close = statusLine.startsWith("HTTP/1.0");
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon < 0) continue;
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    return new HttpHead(status, contentLength, chunked, close);
  }
}
