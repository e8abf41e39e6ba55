package com.creditwallet.serialization;

/**
 * Marker for every message, event and snapshot that crosses a node or reaches the journal. It is
 * bound to Jackson CBOR in reference.conf, so nothing ever falls back to Java serialization.
 */
public interface CborSerializable {}
