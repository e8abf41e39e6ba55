package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.gateway.auth.Endpoint;
import com.creditwallet.gateway.auth.Endpoints;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml against the server's route table ({@link Endpoints}, which is all the access gate
 * serves): the same operations, no more, no less, each with the right security.
 */
class OpenApiDocumentTest {
  private final JsonNode doc = OpenApiDocument.load();

  @Test
  void itIsAnOpenApi3Document() {
    assertTrue(doc.path("openapi").asText().startsWith("3."), doc.path("openapi").asText());
    assertFalse(doc.path("info").path("title").asText().isEmpty());
  }

  @Test
  void documentsExactlyTheRoutesTheServerHas() {
    TreeSet<String> documented = OpenApiDocument.operations(doc).stream().map(Object::toString)
        .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> served = Endpoints.ALL.stream().map(Endpoint::toString).collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    TreeSet<String> notServed = new TreeSet<>(documented);
    notServed.removeAll(served);
    assertTrue(undocumented.isEmpty(), "routes missing from openapi.yaml: " + undocumented);
    assertTrue(notServed.isEmpty(), "documented routes the server does not have: " + notServed);
  }

  @Test
  void openRoutesAreDocumentedWithoutSecurityAndTheOthersWithTheBearerKey() {
    Map<String, Endpoint> byName = Endpoints.ALL.stream().collect(Collectors.toMap(Endpoint::toString, Function.identity()));
    assertEquals("bearer", doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText());
    assertTrue(doc.path("security").get(0).has("bearer"), "the default is the bearer key");
    for (OpenApiDocument.Operation op : OpenApiDocument.operations(doc)) {
      JsonNode security = op.node().path("security");
      boolean documentedOpen = security.isArray() && security.isEmpty();
      assertEquals(byName.get(op.toString()).open(), documentedOpen, op.toString());
      assertTrue(op.node().path("responses").size() > 0, op + " has responses");
    }
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), ref);
      assertFalse(doc.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
    }
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (f.getKey().equals("$ref")) out.add(f.getValue().asText());
        else collectRefs(f.getValue(), out);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
