package com.creditwallet.gateway.http;

import com.creditwallet.wallet.domain.Rejection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;

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

  private static String title(String code) {
    String words = code.toLowerCase().replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
