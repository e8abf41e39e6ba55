package com.creditwallet.gateway.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin keys of a node, from configuration only ({@code WALLET_ADMIN_KEY}). Several keys may
 * be given, comma-separated, so a key can be rotated without downtime: deploy "new,old", move the
 * clients to the new key, then deploy "new". Only the SHA-256 of each key is kept in memory, and
 * a presented key is compared with every one of them in constant time, so neither the timing nor a
 * heap dump tells an attacker how much of a guess was right.
 */
public final class AdminKeys {
  private final List<byte[]> digests;

  private AdminKeys(List<byte[]> digests) {
    this.digests = digests;
  }

  /**
   * Parses the configured value ("key" or "key1,key2"); blank entries are ignored. Throws with a
   * message meant for the operator (never containing a key) when no key is left.
   */
  public static AdminKeys parse(String configured) {
    List<byte[]> digests = new ArrayList<>();
    if (configured != null) {
      for (String key : configured.split(",")) {
        String k = key.strip();
        if (!k.isEmpty()) digests.add(KeyHash.of(k));
      }
    }
    if (digests.isEmpty()) {
      throw new IllegalStateException(
          "WALLET_ADMIN_KEY is not set: a node needs at least one admin key, e.g. WALLET_ADMIN_KEY=$(openssl rand -hex 32)"
              + " (several may be given, comma-separated, to rotate them)");
    }
    return new AdminKeys(List.copyOf(digests));
  }

  /**
   * The first configured key, for the node's own loopback calls (its warm-up) only; call after
   * {@link #parse} accepted the same value.
   */
  public static String first(String configured) {
    for (String key : configured.split(",")) {
      if (!key.isBlank()) return key.strip();
    }
    throw new IllegalStateException("no admin key");
  }

  public int count() {
    return digests.size();
  }

  /**
   * True when the presented key, hashed with {@link KeyHash#of} (the gate hashes each request's
   * key once, for this check and the account keys'), is one of the admin keys; always compares
   * with all of them.
   */
  public boolean matches(byte[] digest) {
    boolean found = false;
    for (byte[] d : digests) found |= KeyHash.equal(d, digest);
    return found;
  }
}
