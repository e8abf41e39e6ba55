package com.creditwallet.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Wallet-Signature} header: {@code sha256=} and the hex HMAC-SHA256 of the exact body
 * bytes with the webhook's secret, so a receiver can tell our deliveries from forgeries.
 */
public final class WebhookSigner {
  public static final String HEADER = "X-Wallet-Signature";

  private WebhookSigner() {}

  public static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
