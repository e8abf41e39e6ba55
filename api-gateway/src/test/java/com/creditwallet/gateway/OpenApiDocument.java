package com.creditwallet.gateway;

import com.creditwallet.gateway.http.OpenApiRoutes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The repository's openapi.yaml, read as a tree, and the operations it documents. */
final class OpenApiDocument {
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  record Operation(String method, String path, JsonNode node) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private OpenApiDocument() {}

  static JsonNode parse(byte[] yaml) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode load() {
    return parse(OpenApiRoutes.load());
  }

  static List<Operation> operations(JsonNode doc) {
    List<Operation> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields();
      while (ops.hasNext()) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (METHODS.contains(op.getKey())) out.add(new Operation(op.getKey().toUpperCase(), p.getKey(), op.getValue()));
      }
    }
    return out;
  }
}
