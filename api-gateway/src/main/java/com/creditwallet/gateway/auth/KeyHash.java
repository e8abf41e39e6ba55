package com.creditwallet.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How keys are stored and compared: SHA-256, compared in constant time.
 *
 * <p>Why a plain SHA-256 and not bcrypt/scrypt/Argon2: slow hashes exist to protect low-entropy
 * secrets (passwords people choose) from brute force. Account keys are 256 random bits from
 * {@link java.security.SecureRandom}: no amount of hashing speed makes 2^256 guesses feasible,
 * so a slow hash would only add milliseconds to every request. The hash still means a leaked
 * table (or backup) gives nobody a usable key.
 */
public final class KeyHash {
  private KeyHash() {}

  /**
   * One digest per thread, reused: every authenticated request hashes its key, and a new
   * {@code MessageDigest} each time is a lookup in the security providers and an allocation more
   * (10-30 ns on a 100-ns hash in a warm loop; in a recording of a busy node it showed almost as
   * often as the hash). {@code digest} resets it, so no call sees another's input.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(KeyHash::newDigest);

  public static byte[] of(String key) {
    return SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Constant-time comparison (the time does not depend on where the first difference is). */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
