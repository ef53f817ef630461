package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How an answer differs from a recorded one: its status, its media type, and its body's shape (the
 * same keys at every level, values of the same JSON type).
 */
final class ReplayShapes {
  private ReplayShapes() {}

  /** How the lab's answer differs from the recorded one; empty when it does not. */
  static List<String> differences(JsonNode exchange, HttpResponse<byte[]> response) {
    List<String> differences = new ArrayList<>();
    int status = exchange.get("status").asInt();
    if (response.statusCode() != status) {
      differences.add("status " + response.statusCode() + ", recorded " + status);
    }
    JsonNode recorded = exchange.get("body");
    byte[] body = response.body();
    if (recorded == null || recorded.isNull()) {
      if (body.length > 0) {
        differences.add("a body, recorded none");
      }
      return differences;
    }
    String recordedType = mediaType(exchange.path("content_type").asText(""));
    String type = mediaType(response.headers().firstValue("Content-Type").orElse(""));
    if (!type.equals(recordedType)) {
      differences.add("content type '" + type + "', recorded '" + recordedType + "'");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (recordedType.equals("application/json")) {
      JsonNode actual;
      try {
        actual = LabHttp.JSON.readTree(text);
      } catch (IOException e) {
        differences.add("body is not JSON");
        return differences;
      }
      differences.addAll(shape(recorded, actual == null ? LabHttp.JSON.missingNode() : actual));
    } else if (recorded.isNumber()) {
      // The recorder read a text number, such as a queue position, as a number.
      if (!text.strip().matches("-?[0-9]+")) {
        differences.add("body '" + text + "' is not a number");
      }
    } else if (text.isEmpty() || text.startsWith("{") || text.startsWith("[")) {
      differences.add("body is not plain text");
    }
    return differences;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Where {@code actual} has another shape than {@code recorded}: keys missing or unexpected,
   * values of another JSON type. Every item of a list must have the shape of the recorded first
   * item; recorded lists were trimmed, so their lengths do not count.
   */
  static List<String> shape(JsonNode recorded, JsonNode actual) {
    List<String> differences = new ArrayList<>();
    shape("$", recorded, actual, differences);
    return differences;
  }

  private static void shape(String path, JsonNode recorded, JsonNode actual, List<String> out) {
    if (recorded.getNodeType() != actual.getNodeType()) {
      out.add(path + ": " + type(actual) + ", recorded " + type(recorded));
      return;
    }
    if (recorded.isObject()) {
      Set<String> keys = new TreeSet<>();
      recorded.fieldNames().forEachRemaining(keys::add);
      actual.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        if (!actual.has(key)) {
          out.add(path + "." + key + ": missing key");
        } else if (!recorded.has(key)) {
          out.add(path + "." + key + ": unexpected key");
        } else {
          shape(path + "." + key, recorded.get(key), actual.get(key), out);
        }
      }
    } else if (recorded.isArray() && !recorded.isEmpty()) {
      Set<String> seen = new LinkedHashSet<>();
      for (Iterator<JsonNode> it = actual.elements(); it.hasNext(); ) {
        List<String> item = new ArrayList<>();
        shape(path + "[*]", recorded.get(0), it.next(), item);
        seen.addAll(item);
      }
      out.addAll(seen);
    }
  }

  private static String type(JsonNode node) {
    JsonNodeType t = node.getNodeType();
    return t == JsonNodeType.MISSING ? "nothing" : t.name().toLowerCase(Locale.ROOT);
  }
}
