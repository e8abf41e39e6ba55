package com.creditwallet.gateway.auth;

import java.util.Arrays;

/**
 * What a node knows of an account key: whose it is, the hash of the whole key, and whether it was
 * revoked. Never the key itself.
 */
public record StoredKey(String keyId, String walletId, byte[] hash, boolean revoked) {

  public StoredKey revokedCopy() {
    return new StoredKey(keyId, walletId, hash, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredKey k && k.keyId.equals(keyId) && k.walletId.equals(walletId)
        && Arrays.equals(k.hash, hash) && k.revoked == revoked;
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  @Override
  public String toString() {
    return "StoredKey[keyId=" + keyId + ", walletId=" + walletId + ", revoked=" + revoked + "]";
  }
}
