package io.tfleet.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The front door of a lab with OIDC on: serves the device login endpoints and the approval page,
 * and lets a request through to the API only with a valid token, checked before anything else
 * (an invalid job gets 401 too, as recorded upstream). The home page and the token endpoints stay
 * open.
 */
final class OidcGate implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(OidcGate.class.getName());
  private static final Set<String> OPEN = Set.of("/v1/", "/v1/oauth2/token", "/v1/oauth2/refresh");
  private static final String POLL = "/oidc/auth-poll/";

  private final DeviceLogins logins;
  private final Tokens tokens;
  private final HttpHandler api;
  private final ObjectMapper json;

  OidcGate(DeviceLogins logins, Tokens tokens, HttpHandler api, ObjectMapper json) {
    this.logins = logins;
    this.tokens = tokens;
    this.api = api;
    this.json = json;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/oidc/auth-init") || (path.startsWith(POLL) && path.length() > POLL.length())) {
        if (!method.equals("POST")) {
          sendJson(exchange, new DeviceLogins.Answer(405, message("Method Not Allowed"), Map.of()));
        } else if (path.equals("/oidc/auth-init")) {
          sendJson(exchange, logins.init("http://" + exchange.getRequestHeaders().getFirst("Host")));
        } else {
          sendJson(exchange, logins.poll(URLDecoder.decode(path.substring(POLL.length()), StandardCharsets.UTF_8)));
        }
        return;
      }
      if (path.equals("/device")) {
        device(exchange, method);
        return;
      }
      if (!OPEN.contains(path)) {
        ObjectNode refusal =
            switch (tokens.check(exchange.getRequestHeaders().getFirst("Authorization"))) {
              case VALID -> null;
              case MISSING -> message("Authentication is required for specified endpoint");
              case EXPIRED -> message("Token has expired");
              case INVALID -> message("Unable to decode token");
            };
        if (refusal != null) {
          int status = refusal.path("message").asText().startsWith("Unable") ? 403 : 401;
          sendJson(exchange, new DeviceLogins.Answer(status, refusal, Map.of()));
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "tfleet-lab: request failed", e);
      sendJson(exchange, new DeviceLogins.Answer(500, message("Internal Server Error"), Map.of()));
      return;
    }
    api.handle(exchange);
  }

  /** The stand-in identity provider's page: GET shows the form, POST approves or denies. */
  private void device(HttpExchange exchange, String method) throws IOException {
    if (method.equals("GET")) {
      Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
      send(exchange, 200, "text/html; charset=utf-8", DeviceLogins.page(query.get("user_code"), null), Map.of());
      return;
    }
    if (!method.equals("POST")) {
      send(exchange, 405, "text/plain; charset=utf-8", "Method Not Allowed", Map.of());
      return;
    }
    // Left open: send() drains and closes it.
    String body = new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
    Map<String, String> fields = form(body);
    String code = fields.getOrDefault("user_code", "");
    boolean done =
        "deny".equals(fields.get("action"))
            ? logins.deny(code)
            : logins.approve(code, fields.get("email"));
    String said =
        !done
            ? "No login waits for the code " + code + "."
            : "deny".equals(fields.get("action")) ? "Denied." : "Approved: go back to the terminal.";
    send(exchange, done ? 200 : 404, "text/html; charset=utf-8", DeviceLogins.page(code, said), Map.of());
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> fields = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return fields;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private ObjectNode message(String message) {
    ObjectNode body = json.createObjectNode();
    body.putObject("detail");
    body.put("message", message);
    return body;
  }

  private void sendJson(HttpExchange exchange, DeviceLogins.Answer answer) throws IOException {
    send(exchange, answer.status(), "application/json", json.writeValueAsString(answer.body()), answer.headers());
  }

  private static void send(
      HttpExchange exchange, int status, String contentType, String text, Map<String, String> headers)
      throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "tfleet-lab: cannot answer", e);
    }
  }
}
