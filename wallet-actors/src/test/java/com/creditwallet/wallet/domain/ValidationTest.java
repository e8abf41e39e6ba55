package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The id and category checks are hand-written loops (they run several times per reservation);
 * the contract states them as patterns. This holds the two to the same answers.
 */
class ValidationTest {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9_]{0,31}");
  /** Characters each pattern allows, their neighbours just outside its ranges, and some beyond ASCII. */
  private static final String ALPHABET =
      "abcyzABCYZ0189._:-/@`{[^\\ \t\n\u00e9\u00c9\u0660\u0661\uff21\ud83d\ude00";

  @Test
  void edgesOfTheContract() {
    assertTrue(Validation.isId("a"));
    assertTrue(Validation.isId("x".repeat(64)));
    assertFalse(Validation.isId("x".repeat(65)));
    assertFalse(Validation.isId(""));
    assertFalse(Validation.isId(null));
    assertTrue(Validation.isId("Acme.eu_1:send-2"));
    assertFalse(Validation.isId("acme/eu"));
    assertFalse(Validation.isId("caf\u00e9"));
    assertTrue(Validation.isCategory("sms"));
    assertTrue(Validation.isCategory("s" + "_9".repeat(15) + "x"));
    assertFalse(Validation.isCategory("s" + "x".repeat(32)));
    assertFalse(Validation.isCategory("9sms"));
    assertFalse(Validation.isCategory("_sms"));
    assertFalse(Validation.isCategory("Sms"));
    assertFalse(Validation.isCategory("sms-eu"));
    assertFalse(Validation.isCategory(""));
    assertFalse(Validation.isCategory(null));
  }

  @Test
  void sameAnswersAsThePatternsOnRandomStrings() {
    Random random = new Random(20261206L);
    int ids = 0;
    int categories = 0;
    for (int n = 0; n < 200_000; n++) {
      String s = randomString(random);
      boolean id = ID.matcher(s).matches();
      boolean category = CATEGORY.matcher(s).matches();
      assertEquals(id, Validation.isId(s), () -> "isId(\"" + s + "\")");
      assertEquals(category, Validation.isCategory(s), () -> "isCategory(\"" + s + "\")");
      if (id) ids++;
      if (category) categories++;
    }
    // Both answers must have come up often, or the comparison proves little.
    assertTrue(ids > 10_000 && ids < 190_000, "ids accepted: " + ids);
    assertTrue(categories > 10_000 && categories < 190_000, "categories accepted: " + categories);
  }

  /** Mostly strings one of the patterns accepts, some with one odd character, lengths around the limits. */
  private static String randomString(Random random) {
    int length = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(4);
      case 1 -> 30 + random.nextInt(5);
      case 2 -> 62 + random.nextInt(5);
      default -> random.nextInt(70);
    };
    String allowed = random.nextBoolean() ? "abcxyz019_" : "abcxyzABZ019._:-";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      String from = random.nextInt(40) == 0 ? ALPHABET : allowed;
      b.append(from.charAt(random.nextInt(from.length())));
    }
    return b.toString();
  }
}
