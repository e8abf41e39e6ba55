package com.creditwallet.gateway.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * The answer to a request too malformed to reach the routes (a 5,000-character path: 414; raw
 * non-ASCII bytes in the request line: 400; oversized headers: 431): problem+json like every
 * other error, instead of Pekko's plain text. A parse failure is always the request's fault, so
 * Pekko's two 5xx here become 4xx (5xx are for real faults only): an unknown method (501) is 405,
 * an unsupported HTTP version (505) is 400. Configured as
 * {@code pekko.http.server.parsing.error-handler}; Pekko creates it by its no-argument
 * constructor.
 *
 * <p>The detail is Pekko's one-line summary only, never the detail part, which may quote the
 * request itself (headers included); nothing of the request is logged above debug level.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("unparseable request answered {}: {}", status.intValue(), info.summary());
    String summary = info.summary() == null || info.summary().isBlank() ? status.reason() : info.summary();
    int answer = status.intValue() == 501 ? 405 : status.intValue() >= 500 ? 400 : status.intValue();
    return Problems.of(answer, Problems.codeOf(answer), summary, java.util.Map.of());
  }
}
