package com.creditwallet.gateway.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of an account key: {@code wk_<keyId>_<secret>}. The key id (96 random bits, 24 hex
 * characters) is not secret: it names the key in listings, in the revoke call and in the node's
 * cache, so a key is found by its id and then checked by its hash. The secret is 256 random bits
 * from {@link SecureRandom}, base64url without padding (43 characters). The prefix lets people and
 * secret scanners recognize a wallet key.
 */
public final class AccountKeyFormat {
  static final String PREFIX = "wk_";
  private static final int ID_BYTES = 12;
  private static final int SECRET_BYTES = 32;
  private static final Pattern KEY =
      Pattern.compile("wk_([0-9a-f]{" + (ID_BYTES * 2) + "})_[A-Za-z0-9_-]{" + secretChars() + "}");
  /** What a key id in a path must look like (checked before any lookup). */
  public static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{" + (ID_BYTES * 2) + "}");

  private final SecureRandom random;

  public AccountKeyFormat(SecureRandom random) {
    this.random = random;
  }

  /** A fresh key: its id, the whole key (shown once) and the hash that is stored. */
  public record Minted(String keyId, String key, byte[] hash) {
    @Override
    public String toString() {
      return "Minted[keyId=" + keyId + ", key=<hidden>]";
    }
  }

  public Minted mint() {
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(id);
    random.nextBytes(secret);
    String keyId = HexFormat.of().formatHex(id);
    String key = PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Minted(keyId, key, KeyHash.of(key));
  }

  /** The key id of a presented bearer token, if it has the shape of an account key. */
  public static Optional<String> keyIdOf(String presented) {
    var m = KEY.matcher(presented);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static int secretChars() {
    return (SECRET_BYTES * 8 + 5) / 6;
  }
}
