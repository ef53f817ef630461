package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A request matched to a route: its exchange, the path's parameters (decoded) and its query.
 *
 * @param params the values of the route template's {@code {name}} segments, in order
 */
record Request(HttpExchange exchange, List<String> params, Map<String, List<String>> query) {
  /** Job definitions are small; this only stops a runaway client from filling memory. */
  static final int MAX_JSON_BYTES = 8 * 1024 * 1024;

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  Request {
    params = List.copyOf(params);
  }

  String param(int i) {
    return params.get(i);
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /** The first value of a query parameter, or null. */
  String first(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  InputStream body() {
    return exchange.getRequestBody();
  }

  /** The body as JSON, null when it is none; a body over {@code limit} bytes is cut there. */
  JsonNode json(int limit) throws IOException {
    return parse(body().readNBytes(limit));
  }

  static JsonNode parse(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** The canonical (lower case) form of a job id in the path, or null when it is not a UUID. */
  String jobId(int i) {
    return jobId(param(i));
  }

  /** The canonical (lower case) form of a UUID, or null when it is not one. */
  static String jobId(String text) {
    return UUID_TEXT.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : null;
  }

  /**
   * Parses a query string or a form body: each name's values in order, a name without {@code =}
   * with the value "".
   */
  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }
}
