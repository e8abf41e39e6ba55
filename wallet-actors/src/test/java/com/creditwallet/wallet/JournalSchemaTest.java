package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.Draw;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReservationRecord;
import com.creditwallet.wallet.domain.ReservationStatus;
import com.creditwallet.wallet.domain.WalletEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal is a versioned schema: every event type (and the archive's reservation record)
 * written by each released version must stay readable by every later one. The committed files
 * {@code src/test/resources/journal-samples/v<N>.jsonl} hold one serialized sample per type, as
 * that version wrote them (serializer id, manifest, bytes). This test reads them all back with
 * the current code; for the current version it also checks that every type has a sample and that
 * each reads back equal to the value it was made from.
 *
 * <p>Only when a new schema version is released: run with {@code -Dwallet.writeJournalSamples=true}
 * to write {@code v<SCHEMA_VERSION>.jsonl}, and commit it. Never rewrite an older file.
 */
class JournalSchemaTest {
  static final Path SAMPLES = Path.of("src/test/resources/journal-samples");
  static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
  static final ObjectMapper JSON = new ObjectMapper();

  static ActorTestKit testKit;
  static Serialization serialization;

  @BeforeAll
  static void start() throws IOException {
    testKit = ActorTestKit.create("JournalSchemaTest", WalletEntityTest.CONFIG);
    serialization = SerializationExtension.get(testKit.system().classicSystem());
    if (Boolean.getBoolean("wallet.writeJournalSamples")) write(WalletEvent.SCHEMA_VERSION);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** One value of every event type of this schema version, every field set. */
  static Map<String, Object> samples() {
    Map<String, Long> bal = Map.of("sms", 490L);
    List<Draw> draws = List.of(new Draw("g-1", "sms", 7), new Draw(Draw.OVERDRAFT, "sms", 3));
    List<Line> lines = List.of(new Line("sms", 10));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("WalletConfigured", new WalletEvent.WalletConfigured(AT, "Europe/Rome", ConsumptionOrder.NON_EXPIRING_FIRST,
        Map.of("sms", 100L), Map.of("sms", 50L), Map.of()));
    out.put("GrantIssued", new WalletEvent.GrantIssued(AT, "g-1", "sms", GrantSource.PACKAGE, 500, -1,
        AT.plusSeconds(86_400), 3, 20, List.of("g-0"), "g-1|sms|500|PACKAGE|null|null|P2Y|-1|true", bal));
    out.put("GrantExpired", new WalletEvent.GrantExpired(AT, "g-1", "sms", 12, bal));
    out.put("GrantsForgotten", new WalletEvent.GrantsForgotten(AT, List.of("g-0", "g-1"), Map.of()));
    out.put("CreditsReserved", new WalletEvent.CreditsReserved(AT, "r-1", ReservationKind.HOLD, lines, draws,
        AT.plusSeconds(900), 10L, List.of(), "gift_card_postman", 20L, "APP_EMAIL", "list-7", 900, true,
        "campaign-42", bal));
    out.put("ReservationCommitted", new WalletEvent.ReservationCommitted(AT, "r-1", List.of(draws.get(0)),
        List.of(draws.get(1)), List.of(new Draw("g-2", "sms", 1)), bal));
    out.put("ReservationReleased", new WalletEvent.ReservationReleased(AT, "r-1", true, List.of(draws.get(0)),
        List.of(new Draw("g-2", "sms", 1)), bal));
    out.put("CreditsRefunded", new WalletEvent.CreditsRefunded(AT, "r-1", "f-1", List.of(new Line("sms", 2)), "BOUNCE",
        draws, List.of(new Draw("g-2", "sms", 1)), List.of(new Draw("~refund:r-1:f-1:sms", "sms", 3)), bal));
    out.put("ReservationsArchived", new WalletEvent.ReservationsArchived(AT, Map.of("r-1", 2, "r-2", 0), Map.of()));
    out.put("ReservationRestored", new WalletEvent.ReservationRestored(AT, record(), Map.of()));
    out.put("PlanSubscribed", new WalletEvent.PlanSubscribed(AT, "bronze", Map.of("campaign", 1000L),
        List.of("flow"), "P1M", Map.of("campaign", 100L), "P14D", Map.of("campaign", 50L),
        Map.of("apiAccess", false), 2, AT, AT.plusSeconds(2_592_000), AT.plusSeconds(1_209_600), Map.of()));
    out.put("CycleReset", new WalletEvent.CycleReset(AT, 3, AT, AT.plusSeconds(2_592_000), Map.of()));
    out.put("TrialEnded", new WalletEvent.TrialEnded(AT, Map.of()));
    out.put("SubBudgetConfigured", new WalletEvent.SubBudgetConfigured(AT, "list-7", Map.of("sms", 300L), Map.of()));
    out.put("AllocationsReduced", new WalletEvent.AllocationsReduced(AT, "sms", Map.of("list-7", 4L, "list-8", 2L), bal));
    out.put("ReservationRecord", record());
    return out;
  }

  static ReservationRecord record() {
    return new ReservationRecord("r-1", ReservationKind.HOLD, ReservationStatus.COMMITTED, List.of(new Line("sms", 10)),
        List.of(new Draw("g-1", "sms", 10)), List.of(new Draw("g-1", "sms", 8)), List.of(new Draw("g-1", "sms", 1)),
        List.of(new ReservationRecord.RefundEntry("f-1", List.of(new Line("sms", 1)), "BOUNCE",
            List.of(new Line("sms", 1)))),
        AT, AT.plusSeconds(900), AT.plusSeconds(60), 10L, 3, List.of(), "gift_card_reminder", 10L, "SHOPIFY_EMAIL",
        null, 900, false, "campaign-42");
  }

  private static void write(int version) throws IOException {
    Files.createDirectories(SAMPLES);
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Object> e : samples().entrySet()) {
      Serializer serializer = serialization.findSerializerFor(e.getValue());
      ObjectNode line = JSON.createObjectNode();
      line.put("type", e.getKey());
      line.put("serializerId", serializer.identifier());
      line.put("manifest", Serializers.manifestFor(serializer, e.getValue()));
      line.put("bytes", Base64.getEncoder().encodeToString(serializer.toBinary(e.getValue())));
      if (e.getValue() instanceof ReservationRecord r) {
        line.put("archivePayload", Base64.getEncoder().encodeToString(ReservationCodec.encode(r)));
      }
      out.append(JSON.writeValueAsString(line)).append('\n');
    }
    Files.writeString(SAMPLES.resolve("v" + version + ".jsonl"), out, StandardCharsets.UTF_8);
  }

  private static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) out.add(JSON.readTree(line));
    }
    return out;
  }

  private static Object deserialize(JsonNode line) {
    byte[] bytes = Base64.getDecoder().decode(line.get("bytes").asText());
    return serialization.deserialize(bytes, line.get("serializerId").asInt(), line.get("manifest").asText()).get();
  }

  @Test
  void everySampleOfEveryVersionStillReads() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(SAMPLES)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no journal samples committed under " + SAMPLES.toAbsolutePath());
    for (Path file : files) {
      for (JsonNode line : read(file)) {
        String type = line.get("type").asText();
        Object back = deserialize(line);
        assertEquals(type, back.getClass().getSimpleName(), () -> file + ": " + type);
        if (line.has("archivePayload")) {
          ReservationRecord r = ReservationCodec.decode(Base64.getDecoder().decode(line.get("archivePayload").asText()));
          assertEquals(back, r, () -> file + ": the archive payload reads as the same record");
        }
      }
    }
  }

  @Test
  void theCurrentVersionHasASampleOfEveryEventTypeThatReadsBackEqual() throws IOException {
    Path current = SAMPLES.resolve("v" + WalletEvent.SCHEMA_VERSION + ".jsonl");
    assertTrue(Files.exists(current), () -> "no samples of the current schema version: write them, see the class comment");
    Map<String, Object> expected = samples();
    Set<String> seen = new TreeSet<>();
    for (JsonNode line : read(current)) {
      String type = line.get("type").asText();
      seen.add(type);
      assertEquals(expected.get(type), deserialize(line), () -> type + " reads back as it was written");
    }
    Set<String> types = new TreeSet<>();
    for (Class<?> c : WalletEvent.class.getPermittedSubclasses()) types.add(c.getSimpleName());
    types.add("ReservationRecord");
    assertEquals(types, seen, "every event type of this version has a committed sample");
  }
}
