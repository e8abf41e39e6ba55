package com.creditwallet.serialization;

/**
 * A {@link CborSerializable} that may be tens of MB once serialized (a wallet's snapshot with
 * hundreds of thousands of open holds). {@link WalletCborSerializer} writes such a payload, when
 * large, into one buffer outside the young generation instead of Jackson's chunks inside it.
 */
public interface LargeCborSerializable extends CborSerializable {

  /** About how many bytes this payload takes in CBOR; a hint for the buffer, never a limit. */
  long estimatedCborBytes();
}
