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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer the lab sends, and the shapes upstream's answers take: JSON, Flask's text, empty, and
 * its error bodies.
 *
 * @param contentType null for an answer without a body
 * @param file a file whose bytes are the body, streamed when sent; null when {@code body} is it
 * @param stream a body written while it is sent, so a large one is never held in memory; null when
 *     {@code body} or {@code file} is it
 */
record Response(
    int status,
    String contentType,
    byte[] body,
    Path file,
    Stream stream,
    Map<String, String> headers) {
  /** What Flask sends with a handler's plain string, and so what upstream's text answers carry. */
  static final String TEXT = "text/html; charset=utf-8";

  static final String JSON = "application/json";

  /** Jackson's defaults write what upstream writes; a mapper is thread-safe once configured. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Writes a body to the client. */
  @FunctionalInterface
  interface BodyWriter {
    /** Writes the whole body; must not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A body written as it is sent.
   *
   * @param length its length in bytes when known, sent as {@code Content-Length}; -1 sends it
   *     chunked
   */
  record Stream(long length, BodyWriter writer) {
    Stream {
      Objects.requireNonNull(writer, "writer");
      if (length < -1) {
        throw new IllegalArgumentException("length < -1");
      }
    }
  }

  Response {
    headers = Map.copyOf(headers);
  }

  /** This answer with one more header. */
  Response withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, file, stream, more);
  }

  static Response json(int status, JsonNode body) {
    try {
      return new Response(status, JSON, MAPPER.writeValueAsBytes(body), null, null, Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A body of unknown length, written while it is sent, in chunks. */
  static Response stream(int status, String contentType, BodyWriter writer) {
    return new Response(status, contentType, new byte[0], null, new Stream(-1, writer), Map.of());
  }

  /**
   * This answer with the first half of its body, and a {@code Content-Length} that says so: what a
   * proxy sends when it ends a message it could not finish. Its status and headers stay.
   */
  Response truncated() throws IOException {
    if (stream == null && file == null) {
      byte[] half = Arrays.copyOf(body, body.length / 2);
      return new Response(status, contentType, half, null, null, headers);
    }
    long whole = file != null ? Files.size(file) : stream.length;
    if (whole < 0) {
      // A streamed body is written from a snapshot, so a dry run gives the length of the real one.
      CountingStream counter = new CountingStream();
      stream.writer.writeTo(counter);
      whole = counter.count;
    }
    long half = whole / 2;
    BodyWriter original = file != null ? out -> Files.copy(file, out) : stream.writer;
    BodyWriter cut = out -> original.writeTo(new LimitedStream(out, half));
    return new Response(status, contentType, new byte[0], null, new Stream(half, cut), headers);
  }

  static Response text(int status, String text) {
    return text(status, TEXT, text);
  }

  static Response text(int status, String contentType, String text) {
    return new Response(
        status, contentType, text.getBytes(StandardCharsets.UTF_8), null, null, Map.of());
  }

  /** A file's bytes, read from disk as they are sent rather than held in memory. */
  static Response file(int status, String contentType, Path file) {
    return new Response(status, contentType, new byte[0], file, null, Map.of());
  }

  /** 204, as upstream answers for a job or result it does not have. */
  static Response empty() {
    return empty(204);
  }

  static Response empty(int status) {
    return new Response(status, null, new byte[0], null, null, Map.of());
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
    if (stream != null) {
      // For the JDK server 0 means chunked and -1 no body at all.
      exchange.sendResponseHeaders(
          status, stream.length < 0 ? 0 : stream.length == 0 ? -1 : stream.length);
      if (stream.length != 0) {
        stream.writer.writeTo(exchange.getResponseBody());
      }
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** Counts what is written and keeps none of it. */
  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /** Passes the first {@code limit} bytes on and drops the rest. */
  private static final class LimitedStream extends OutputStream {
    private final OutputStream out;
    private long left;

    LimitedStream(OutputStream out, long limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      if (left > 0) {
        out.write(b);
        left--;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, left);
      if (n > 0) {
        out.write(b, off, n);
        left -= n;
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
