package com.creditwallet.wallet;

import com.creditwallet.serialization.IsoInstantModule;
import com.creditwallet.wallet.domain.ReservationRecord;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The archive's payload: a {@link ReservationRecord} (the versioned, flat schema) as CBOR. Its
 * own mapper, so the archive format does not depend on how Pekko happens to be configured; it
 * ignores unknown fields so rows written by a later version still read.
 */
public final class ReservationCodec {
  private static final ObjectMapper CBOR = CBORMapper.builder()
      .addModule(new IsoInstantModule()) // JavaTimeModule, with instants written faster
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ReservationCodec() {}

  public static byte[] encode(ReservationRecord r) {
    try {
      return CBOR.writeValueAsBytes(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ReservationRecord decode(byte[] payload) {
    try {
      return CBOR.readValue(payload, ReservationRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
