package com.creditwallet.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A body is exactly one JSON value: nothing may follow it, and no key may repeat. */
class JsonTest {

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1}trailing", "{\"a\":1}{\"a\":2}", "{\"a\":1}]", "{\"a\":1} 1", "{\"a\":1}}",
      "{\"a\":1,\"a\":2}", "[1] [2]", "{\"a\":1}\u0000"})
  void ambiguousBodiesAreRefused(String body) {
    assertThrows(IOException.class, () -> Json.parse(ByteString.fromString(body)));
  }

  @Test
  void oneValueWithWhitespaceAroundIsFine() throws IOException {
    assertEquals(1, Json.parse(ByteString.fromString(" \r\n{\"a\":1} \t\r\n")).path("a").asInt());
    assertEquals(0, Json.parse(ByteString.emptyByteString()).size(), "an empty body reads as {}");
  }
}
