package com.creditwallet.gateway.http;

import com.creditwallet.wallet.domain.Rejection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalHeaderException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.http.scaladsl.model.IllegalUriException;

/**
 * RFC 7807 problem responses. Every error of the API goes through here so that clients can rely
 * on {@code code} (stable) rather than on {@code detail} (for humans).
 */
public final class Problems {
  public static final ContentType PROBLEM_JSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

  private Problems() {}

  public static HttpResponse of(int status, String code, String detail, Map<String, Object> extras) {
    return Json.response(StatusCodes.get(status), PROBLEM_JSON, body(status, code, detail, extras));
  }

  /** The problem document itself (also used for the items of a batch answer). */
  public static Map<String, Object> body(int status, String code, String detail, Map<String, Object> extras) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "/problems/" + code.toLowerCase().replace('_', '-'));
    body.put("title", title(code));
    body.put("status", status);
    body.put("code", code);
    body.put("detail", detail);
    if (extras != null) extras.forEach(body::putIfAbsent);
    return body;
  }

  public static Map<String, Object> body(Rejection r) {
    return body(ProblemStatus.of(r.code()), r.code(), r.detail(), r.extras());
  }

  public static HttpResponse of(Rejection r) {
    return of(ProblemStatus.of(r.code()), r.code(), r.detail(), r.extras());
  }

  public static HttpResponse invalid(String field, String problem) {
    return of(Rejection.invalid(field, problem));
  }

  /**
   * The stable code of an error status the server produces by itself (not a rule's refusal):
   * 414 URI_TOO_LONG, 431 HEADERS_TOO_LARGE, ...; an unlisted status gets its reason phrase.
   */
  public static String codeOf(int status) {
    return switch (status) {
      case 400 -> Rejection.INVALID_REQUEST;
      case 401 -> "UNAUTHORIZED";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 408 -> "REQUEST_TIMEOUT";
      case 413 -> "PAYLOAD_TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 431 -> "HEADERS_TOO_LARGE";
      case 500 -> "INTERNAL_ERROR";
      case 503 -> "SERVICE_UNAVAILABLE";
      default -> {
        String reason = StatusCodes.get(status).reason();
        String code = reason == null ? "" : reason.toUpperCase().replaceAll("[^A-Z0-9]+", "_").replaceAll("^_|_$", "");
        yield code.isEmpty() ? (status < 500 ? "BAD_REQUEST" : "SERVER_ERROR") : code;
      }
    };
  }

  /**
   * A failure of the HTTP layer that is the client's fault, as its problem: a malformed query or
   * path encoding, a broken chunked body, a body over the limit. Such failures surface as
   * exceptions while a route reads the request; without this they would look like faults (500).
   * Empty for anything else. The detail is the summary only: the full message may quote the input.
   */
  public static Optional<HttpResponse> ofRequestFault(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return Optional.of(of(413, codeOf(413), "request bodies are limited to 1 MiB", Map.of()));
      }
      if (t instanceof IllegalRequestException e) {
        int status = e.status().intValue();
        return Optional.of(of(status, codeOf(status), e.info().summary(), Map.of()));
      }
      if (t instanceof IllegalUriException e) return Optional.of(invalid("uri", e.info().summary()));
      if (t instanceof IllegalHeaderException e) return Optional.of(invalid("headers", e.info().summary()));
      if (t instanceof EntityStreamException e) return Optional.of(invalid("body", e.info().summary()));
    }
    return Optional.empty();
  }

  /**
   * The answer when a request is not answered within {@code wallet.http.request-timeout}
   * ({@link RequestDeadlines}). Retrying with the same id is safe: every mutating call is
   * idempotent.
   */
  public static HttpResponse timedOut() {
    return of(503, "SERVICE_UNAVAILABLE",
        "the request was not answered in time; retrying with the same id is safe", Map.of());
  }

  private static String title(String code) {
    String words = code.toLowerCase().replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
