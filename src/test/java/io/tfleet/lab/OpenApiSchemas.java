package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The upstream server's OpenAPI schemas, as validators of the lab's answers. */
final class OpenApiSchemas {
  static final String SPEC = "shared/reference/testflinger-openapi.json";

  private final JsonNode spec;
  // OpenAPI 3.0 is JSON Schema with its own dialect (nullable, no type arrays).
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());

  private OpenApiSchemas(JsonNode spec) {
    this.spec = spec;
  }

  /**
   * Finds the spec by walking up from the working directory; CI keeps {@code ../shared} beside the
   * repository clone. Empty when there is none.
   */
  static Optional<OpenApiSchemas> find() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SPEC);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(new OpenApiSchemas(LabHttp.JSON.readTree(candidate.toFile())));
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the problems the schema finds in the instance. The schema is {@code
   * components.schemas.<name>} with the spec's components beside it, so that its {@code
   * #/components/schemas/...} references resolve.
   */
  List<String> problems(String name, JsonNode instance) {
    JsonNode definition = spec.path("components").path("schemas").path(name);
    if (!definition.isObject()) {
      throw new IllegalArgumentException("no schema " + name + " in the spec");
    }
    ObjectNode root = definition.deepCopy();
    root.set("components", spec.get("components"));
    Schema schema = registry.getSchema(root);
    return schema.validate(instance).stream().map(Error::toString).collect(Collectors.toList());
  }
}
