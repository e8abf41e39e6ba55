package com.creditwallet.ledger;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A ledger line's values, other than its key, as one CBOR array in one cell ({@code line} of
 * {@code ledger_entries}).
 *
 * <p>Why one cell: Cassandra's CPU goes per cell it writes, holds in the memtable, flushes and
 * compacts. A reservation's line set six columns; in one cell it cost Cassandra about half the
 * CPU and half the memtable bytes, so the ledger flushes and compacts about three times less
 * often (docs/performance.md, "A ledger line in one cell").
 *
 * <p>The array is {@code [version, type, category, amount, grantId, reservationId, subBudget,
 * reference, operation, available, detail]}, absent values as CBOR null (one byte). Written with
 * Jackson's streaming CBOR API rather than a mapped class: positional, so no field names are
 * stored in every line, and no reflection on the hot path. A later version may append values; a
 * reader takes the ones it knows and skips the rest.
 */
public final class LedgerLineCell {
  /** The first element of every array this build writes. */
  static final int VERSION = 1;

  private static final CBORFactory CBOR = CBORFactory.builder().build();

  private LedgerLineCell() {
  }

  /** The cell of {@code e}; its key (wallet, at, seq, idx) stays in the row's key columns. */
  public static ByteBuffer encode(LedgerEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    try (CBORGenerator g = CBOR.createGenerator(out)) {
      g.writeStartArray(null, 11);
      g.writeNumber(VERSION);
      g.writeString(e.type());
      writeText(g, e.category());
      g.writeNumber(e.amount());
      writeText(g, e.grantId());
      writeText(g, e.reservationId());
      writeText(g, e.subBudget());
      writeText(g, e.reference());
      writeText(g, e.operation());
      if (e.available() == null) g.writeNull(); else g.writeNumber(e.available().longValue());
      writeText(g, e.detail());
      g.writeEndArray();
    } catch (IOException ex) {
      throw new UncheckedIOException("a ledger line could not be written as CBOR", ex);
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  /**
   * The line stored in {@code cell} under the given key. Throws {@link IllegalArgumentException}
   * for a cell that is not a ledger line of a known version: a corrupt line must not read as a
   * line of zero credits.
   */
  public static LedgerEntry decode(String walletId, long seq, int idx, Instant at, ByteBuffer cell) {
    byte[] bytes = new byte[cell.remaining()];
    cell.duplicate().get(bytes);
    try (CBORParser p = CBOR.createParser(bytes)) {
      expect(p.nextToken() == JsonToken.START_ARRAY, walletId, seq, idx, "not an array");
      int version = p.nextToken() == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
      expect(version >= VERSION, walletId, seq, idx, "unknown version");
      String type = text(p);
      String category = text(p);
      expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT, walletId, seq, idx, "no amount");
      long amount = p.getLongValue();
      String grantId = text(p);
      String reservationId = text(p);
      String subBudget = text(p);
      String reference = text(p);
      String operation = text(p);
      JsonToken a = p.nextToken();
      Long available = a == JsonToken.VALUE_NUMBER_INT ? Long.valueOf(p.getLongValue()) : null;
      String detail = text(p);
      expect(type != null, walletId, seq, idx, "no type");
      // Values a later version appended are not this build's to read.
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        expect(t != null, walletId, seq, idx, "truncated");
        p.skipChildren();
      }
      return new LedgerEntry(walletId, seq, idx, at, type, category, amount, grantId, reservationId, subBudget, reference,
          operation, available, detail);
    } catch (IOException ex) {
      throw new IllegalArgumentException("ledger line " + walletId + "/" + seq + "/" + idx + " is not valid CBOR", ex);
    }
  }

  private static void writeText(CBORGenerator g, String s) throws IOException {
    if (s == null) g.writeNull(); else g.writeString(s);
  }

  private static String text(CBORParser p) throws IOException {
    JsonToken t = p.nextToken();
    return t == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  private static void expect(boolean ok, String walletId, long seq, int idx, String what) {
    if (!ok) throw new IllegalArgumentException("ledger line " + walletId + "/" + seq + "/" + idx + ": " + what);
  }
}
