package com.creditwallet.wallet.domain;

import java.util.List;

/**
 * Client grant ids and the ids of the grants the service issues itself live in separate
 * namespaces, so that neither can ever take the other's place (a client PROMO grant called
 * {@code plan:gold:2:campaign} once replaced the plan grant of the same name at a cycle reset).
 *
 * <p>Every grant is kept, and referred to by events and draws, under its <em>key</em>. The
 * service's own grants use the forms below as keys, exactly as shown to clients. A client id is
 * its own key, unless it has the shape of a service id: then its key is the id behind a
 * {@code ~client:} escape. '~' is outside the id alphabet of the API, so an escaped key can
 * neither be sent by a client nor produced by the service, and the contract's alphabet stays
 * whole: any valid id is accepted. Clients always see the id they gave ({@link #display}).
 */
public final class GrantIds {
  /** The shapes of service-issued ids: {@code plan:<planId>:<cycle>:<category>} and so on. */
  private static final List<String> SERVICE_PREFIXES = List.of("plan:", "rollover:", "trial:");

  private static final String CLIENT_ESCAPE = "~client:";

  private GrantIds() {}

  /** The key a client's grant is kept under. */
  public static String clientKey(String clientGrantId) {
    for (String p : SERVICE_PREFIXES) {
      if (clientGrantId.startsWith(p)) return CLIENT_ESCAPE + clientGrantId;
    }
    return clientGrantId;
  }

  /** The id as its issuer knows it: the client's own id, or the service's id. */
  public static String display(String key) {
    return key.startsWith(CLIENT_ESCAPE) ? key.substring(CLIENT_ESCAPE.length()) : key;
  }

  static String plan(String planId, long cycleNumber, String category) {
    return "plan:" + planId + ":" + cycleNumber + ":" + category;
  }

  static String trial(String planId, long cycleNumber, String category) {
    return "trial:" + planId + ":" + cycleNumber + ":" + category;
  }

  static String rollover(long cycleNumber, String category) {
    return "rollover:" + cycleNumber + ":" + category;
  }
}
