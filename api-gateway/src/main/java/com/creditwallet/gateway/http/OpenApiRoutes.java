package com.creditwallet.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /openapi.yaml, without a key: the API contract as an OpenAPI 3 document, the same file that
 * is in the repository (api-gateway/src/main/resources/openapi.yaml), so clients can generate
 * code from the node they talk to.
 */
public final class OpenApiRoutes extends AllDirectives {
  public static final String RESOURCE = "/openapi.yaml";
  private static final ContentType YAML = ContentTypes.create(MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8));

  private final byte[] document;

  public OpenApiRoutes() {
    this.document = load();
  }

  public static byte[] load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + RESOURCE);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Route routes() {
    return path("openapi.yaml", () -> get(() -> complete(HttpResponse.create().withEntity(HttpEntities.create(YAML, document)))));
  }
}
