package io.tfleet.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer the lab sends, and the shapes upstream's answers take: JSON, Flask's text, empty, and
 * its error bodies.
 *
 * @param contentType null for an answer without a body
 * @param file a file whose bytes are the body, streamed when sent; null when {@code body} is it
 */
record Response(
    int status, String contentType, byte[] body, Path file, Map<String, String> headers) {
  /** What Flask sends with a handler's plain string, and so what upstream's text answers carry. */
  static final String TEXT = "text/html; charset=utf-8";

  static final String JSON = "application/json";

  /** Jackson's defaults write what upstream writes; a mapper is thread-safe once configured. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  Response {
    headers = Map.copyOf(headers);
  }

  /** This answer with one more header. */
  Response withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, file, more);
  }

  static Response json(int status, JsonNode body) {
    try {
      return new Response(status, JSON, MAPPER.writeValueAsBytes(body), null, Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Response text(int status, String text) {
    return text(status, TEXT, text);
  }

  static Response text(int status, String contentType, String text) {
    return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), null, Map.of());
  }

  /** A file's bytes, read from disk as they are sent rather than held in memory. */
  static Response file(int status, String contentType, Path file) {
    return new Response(status, contentType, new byte[0], file, Map.of());
  }

  /** 204, as upstream answers for a job or result it does not have. */
  static Response empty() {
    return empty(204);
  }

  static Response empty(int status) {
    return new Response(status, null, new byte[0], null, Map.of());
  }

  /** Upstream's abort(): a message and an empty detail. */
  static Response message(int status, String message) {
    ObjectNode body = object();
    body.putObject("detail");
    body.put("message", message);
    return json(status, body);
  }

  /** Upstream's schema errors, by where in the request ({@code json}, {@code query}) they are. */
  static Response validation(String location, Map<String, Object> fields) {
    ObjectNode body = object();
    body.putObject("detail").set(location, MAPPER.valueToTree(fields));
    body.put("message", "Validation error");
    return json(422, body);
  }

  static Response invalidJobId() {
    return message(400, "Invalid job_id specified");
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Sends the answer; the exchange stays open for the caller to close. */
  void send(HttpExchange exchange) throws IOException {
    // Whatever the handler left unread must go, or the connection cannot be reused.
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    if (file != null) {
      try (InputStream in = Files.newInputStream(file)) {
        exchange.sendResponseHeaders(status, Files.size(file));
        in.transferTo(exchange.getResponseBody());
      }
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }
}
