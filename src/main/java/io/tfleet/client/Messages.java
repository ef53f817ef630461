package io.tfleet.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One-line messages from the server's answers and the transport's failures, in words a person
 * reads.
 */
final class Messages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Messages() {}

  /** Turns an error answer into one line: the server's own message where it gave one. */
  static String explain(int status, String body) {
    JsonNode json = parseOrNull(body);
    String message = json != null ? json.path("message").asText("") : "";
    StringBuilder line = new StringBuilder().append(status).append(' ');
    if (status == 422 && json != null) {
      line.append(message.isEmpty() ? "validation error" : message);
      String fields = fieldMessages(json.path("detail"));
      if (!fields.isEmpty()) {
        line.append(": ").append(fields);
      }
      return line.toString();
    }
    if (status == 403 && json == null) {
      return line.append("forbidden by something in front of the server (a proxy or VPN), not by")
          .append(" the server itself")
          .toString();
    }
    String text = !message.isEmpty() ? message : body == null ? "" : body.strip();
    line.append(text.isEmpty() ? "(no message)" : firstLine(text));
    if (status == 401 || status == 403) {
      line.append(
          " (check --client-id/--secret-key or TESTFLINGER_CLIENT_ID/TESTFLINGER_SECRET_KEY,"
              + " or log in with 'tfleet login')");
    }
    return line.toString();
  }

  /**
   * Flattens {@code {"json": {"job_queue": ["Missing data ..."]}}} into {@code job_queue: Missing
   * data ...}.
   */
  private static String fieldMessages(JsonNode detail) {
    List<String> parts = new ArrayList<>();
    for (JsonNode location : detail) {
      for (Map.Entry<String, JsonNode> field : location.properties()) {
        JsonNode messages = field.getValue();
        String text =
            messages.isArray() && messages.size() > 0 ? joinTexts(messages) : messages.toString();
        parts.add(field.getKey() + ": " + text);
      }
    }
    return String.join("; ", parts);
  }

  private static String joinTexts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.isTextual() ? item.asText() : item.toString()));
    return String.join(" ", texts);
  }

  /**
   * The answer's JSON. A body that is not JSON is a {@link BadAnswerException}, whatever its status
   * said: a page from something in between, or an answer cut short.
   */
  static JsonNode json(HttpResponse<String> response, String what) throws BadAnswerException {
    String body = response.body();
    JsonNode node = parseOrNull(body);
    if (node == null) {
      String text = body == null ? "" : body.strip();
      BadAnswerException bad =
          text.isEmpty()
              ? BadAnswerException.empty()
              : text.startsWith("{") || text.startsWith("[")
                  ? BadAnswerException.cutShort()
                  : BadAnswerException.notJson(text);
      throw about(what, bad);
    }
    return node;
  }

  /** {@code bad}, said of the call that tried to {@code what}. */
  static BadAnswerException about(String what, BadAnswerException bad) {
    return new BadAnswerException(bad.kind(), "cannot " + what + ": " + bad.getMessage());
  }

  static JsonNode parseOrNull(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A few words a person understands, not the name of a Java class. */
  static String reason(Throwable e) {
    Throwable root = rootCause(e);
    String message = root.getMessage();
    // The JDK's client reports a refused connection as a ConnectException around a
    // ClosedChannelException, both without a message.
    if ((root instanceof ConnectException || root instanceof ClosedChannelException)
        && (message == null || message.isBlank())) {
      return e instanceof ConnectException ? "connection refused" : "connection closed";
    }
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
