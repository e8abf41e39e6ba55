package com.creditwallet.gateway.http;

import com.creditwallet.serialization.IsoInstantModule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.util.ByteString;

/**
 * The one JSON mapper of the HTTP layer: instants as ISO-8601 strings, big numbers kept exact,
 * and strict reading: duplicate keys and anything after the first JSON value
 * ({@code {...}trailing}, {@code {..}{..}}) are refused, since an ambiguous body must never be
 * half-understood and committed.
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new IsoInstantModule()) // JavaTimeModule, with instants written faster
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass(), e);
    }
  }

  public static HttpResponse response(StatusCode status, Object body) {
    return response(status, ContentTypes.APPLICATION_JSON, body);
  }

  public static HttpResponse response(StatusCode status, ContentType type, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(type, bytes(body)));
  }

  /**
   * Parses a request body; an empty body reads as {}. Throws IOException on malformed JSON,
   * trailing tokens included (whitespace after the value is fine).
   */
  public static JsonNode parse(ByteString body) throws IOException {
    if (body.isEmpty()) return MAPPER.createObjectNode();
    return MAPPER.readTree(body.toArray());
  }
}
