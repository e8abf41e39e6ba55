package com.creditwallet.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast instant formatting writes exactly what Instant.toString and JavaTimeModule write. */
class IsoInstantTest {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
  private static final long FIRST = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  record Stamped(Instant at, Instant none, List<Instant> more, Map<String, Instant> byName) {}

  /** Random instants over the whole fast range, with every fraction length, and the edges around it. */
  private static List<Instant> samples() {
    Random random = new Random(20261205);
    List<Instant> out = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
        Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("0999-12-31T23:59:59.999999999Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("1969-12-31T23:59:59.000000001Z"), Instant.parse("2024-02-29T12:00:00.100Z"),
        Instant.parse("2026-12-05T14:37:52.120Z"), Instant.parse("2026-12-05T14:37:52.000120Z"),
        Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 999_999_999)));
    for (int i = 0; i < 200_000; i++) {
      long second = FIRST + (long) (random.nextDouble() * (LAST - FIRST));
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      out.add(Instant.ofEpochSecond(second, nano));
    }
    return out;
  }

  @Test
  void formatsEveryInstantAsInstantToStringDoes() {
    for (Instant t : samples()) {
      assertEquals(t.toString(), IsoInstant.format(t));
      String month = IsoInstant.month(t);
      if (t.getEpochSecond() >= FIRST && t.getEpochSecond() <= LAST) assertEquals(MONTH.format(t), month, t::toString);
      else assertNull(month, t::toString);
    }
  }

  @Test
  void jsonAndCborAreByteForByteWhatJavaTimeModuleWrites() throws Exception {
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    ObjectMapper fastJson = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new IsoInstantModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    ObjectMapper cbor = CBORMapper.builder().addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    ObjectMapper fastCbor = CBORMapper.builder().addModule(new JavaTimeModule()).addModule(new IsoInstantModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    List<Instant> all = samples();
    for (int i = 0; i + 3 < all.size(); i += 997) {
      Stamped s = new Stamped(all.get(i), null, all.subList(i + 1, i + 3), Map.of("x", all.get(i + 3)));
      assertEquals(json.writeValueAsString(s), fastJson.writeValueAsString(s));
      assertArrayEquals(cbor.writeValueAsBytes(s), fastCbor.writeValueAsBytes(s));
      assertEquals(s, fastCbor.readValue(fastCbor.writeValueAsBytes(s), Stamped.class));
    }
    // A mapper that writes timestamps still does.
    Stamped s = new Stamped(Instant.parse("2026-12-05T14:37:52.123456789Z"), null, List.of(), Map.of());
    assertEquals(new ObjectMapper().registerModule(new JavaTimeModule()).writeValueAsString(s),
        new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new IsoInstantModule()).writeValueAsString(s));
  }
}
