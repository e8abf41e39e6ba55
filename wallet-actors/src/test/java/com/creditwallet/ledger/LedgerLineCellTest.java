package com.creditwallet.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ledger line's one cell: what is written reads back as the same line, and nothing else does. */
class LedgerLineCellTest {
  private static final Instant AT = Instant.parse("2026-12-08T01:02:03.456Z");
  /** A single send's line: no sub-budget, reference, operation or detail. */
  private static final LedgerEntry SINGLE_SEND =
      new LedgerEntry("w", 7, 0, AT, LedgerEntry.RESERVED, "sms", -1, "g-1", "r-1", null, null, null, 99L, null);

  @Test
  void everyShapeOfLineReadsBackAsItself() {
    for (LedgerEntry e : List.of(
        SINGLE_SEND,
        new LedgerEntry("w", 8, 2, AT, LedgerEntry.COMMITTED, "sms", 0, "g-1", "r-1", "team a", "campaign é", "send", null,
            null),
        new LedgerEntry("w", 9, 0, AT, LedgerEntry.ADJUSTED, "email", Long.MIN_VALUE, null, null, null, null, null,
            Long.MAX_VALUE, "goodwill, ticket 42"),
        new LedgerEntry("w", 10, 0, AT, LedgerEntry.GRANTED, null, 0, null, null, null, null, null, null, null))) {
      assertEquals(e, LedgerLineCell.decode("w", e.seq(), e.idx(), e.at(), LedgerLineCell.encode(e)));
    }
  }

  /** The saving is the point: a single send's line is a small cell, with no field names in it. */
  @Test
  void aSingleSendsLineIsSmall() {
    ByteBuffer cell = LedgerLineCell.encode(
        new LedgerEntry("w", 7, 0, AT, LedgerEntry.RESERVED, "sms", -1, "g-0001", "r-0001", null, null, null, 99L, null));
    assertTrue(cell.remaining() <= 40, cell.remaining() + " bytes");
  }

  @Test
  void valuesALaterVersionAppendsAreSkipped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
      g.writeStartArray();
      g.writeNumber(2);
      g.writeString(LedgerEntry.RELEASED);
      g.writeString("sms");
      g.writeNumber(3);
      g.writeString("g-1");
      g.writeString("r-1");
      g.writeNull();
      g.writeNull();
      g.writeNull();
      g.writeNumber(10);
      g.writeNull();
      g.writeStartArray();
      g.writeString("nested");
      g.writeEndArray();
      g.writeString("more");
      g.writeEndArray();
    }
    assertEquals(new LedgerEntry("w", 1, 0, AT, LedgerEntry.RELEASED, "sms", 3, "g-1", "r-1", null, null, null, 10L, null),
        LedgerLineCell.decode("w", 1, 0, AT, ByteBuffer.wrap(out.toByteArray())));
  }

  @Test
  void aCellThatIsNotALineIsRefusedNotReadAsZeroCredits() {
    byte[] good = bytes(LedgerLineCell.encode(SINGLE_SEND));
    for (byte[] bad : List.of(new byte[0], "not cbor".getBytes(), Arrays.copyOf(good, good.length - 3), versionZero(good))) {
      assertThrows(IllegalArgumentException.class, () -> LedgerLineCell.decode("w", 7, 0, AT, ByteBuffer.wrap(bad)),
          Arrays.toString(bad));
    }
  }

  /** Reading does not move the buffer it was given (the driver's row may be read again). */
  @Test
  void decodingLeavesTheBufferAsItWas() {
    ByteBuffer cell = LedgerLineCell.encode(SINGLE_SEND);
    int before = cell.remaining();
    LedgerLineCell.decode("w", 7, 0, AT, cell);
    assertEquals(before, cell.remaining());
  }

  private static byte[] versionZero(byte[] good) {
    byte[] out = good.clone();
    out[1] = 0; // the version, right after the array's one-byte header
    return out;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
