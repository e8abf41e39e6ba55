package com.creditwallet.gateway.auth;

import java.util.List;

/**
 * One route of the server: a method and a path template such as
 * {@code /v1/wallets/{walletId}/reservations/{reservationId}}, where {@code {name}} matches one
 * path segment. {@code open}: served without a key (health, the API document).
 */
public record Endpoint(String method, String template, boolean open) {

  public static Endpoint open(String method, String template) {
    return new Endpoint(method, template, true);
  }

  public static Endpoint keyed(String method, String template) {
    return new Endpoint(method, template, false);
  }

  public List<String> segments() {
    return Templates.segments(template);
  }

  /** True when {@code path} (already split into decoded segments) fits the template. */
  public boolean matches(List<String> path) {
    List<String> t = segments();
    if (t.size() != path.size()) return false;
    for (int i = 0; i < t.size(); i++) {
      String s = t.get(i);
      if (Templates.isParam(s)) {
        if (path.get(i).isEmpty()) return false;
      } else if (!s.equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The value of the segment the template names {@code {param}}, or null. */
  public String param(String param, List<String> path) {
    int i = segments().indexOf("{" + param + "}");
    return i < 0 || i >= path.size() ? null : path.get(i);
  }

  @Override
  public String toString() {
    return method + " " + template;
  }

  /** Splitting of templates and paths, shared with the rights rules. */
  static final class Templates {
    private Templates() {}

    static List<String> segments(String path) {
      String p = path.startsWith("/") ? path.substring(1) : path;
      return List.of(p.split("/", -1));
    }

    static boolean isParam(String segment) {
      return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
  }
}
