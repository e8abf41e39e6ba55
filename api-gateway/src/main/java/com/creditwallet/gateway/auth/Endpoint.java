package com.creditwallet.gateway.auth;

import java.util.List;
import java.util.Objects;

/**
 * One route of the server: a method and a path template such as
 * {@code /v1/wallets/{walletId}/reservations/{reservationId}}, where {@code {name}} matches one
 * path segment. {@code open}: served without a key (health, the API document). The template is
 * split once, here, since every request is matched against the table.
 */
public final class Endpoint {
  private final String method;
  private final String template;
  private final boolean open;
  private final List<String> segments;

  private Endpoint(String method, String template, boolean open) {
    this.method = method;
    this.template = template;
    this.open = open;
    this.segments = Templates.segments(template);
  }

  public static Endpoint open(String method, String template) {
    return new Endpoint(method, template, true);
  }

  public static Endpoint keyed(String method, String template) {
    return new Endpoint(method, template, false);
  }

  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  public boolean open() {
    return open;
  }

  public List<String> segments() {
    return segments;
  }

  /** True when {@code path} (already split into decoded segments) fits the template. */
  public boolean matches(List<String> path) {
    if (segments.size() != path.size()) return false;
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
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
    int i = segments.indexOf("{" + param + "}");
    return i < 0 || i >= path.size() ? null : path.get(i);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && e.method.equals(method) && e.template.equals(template) && e.open == open;
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, template, open);
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
