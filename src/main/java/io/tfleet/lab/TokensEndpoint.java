package io.tfleet.lab;

import static io.tfleet.lab.Request.MAX_JSON_BYTES;
import static io.tfleet.lab.Response.json;
import static io.tfleet.lab.Response.message;
import static io.tfleet.lab.Response.object;
import static io.tfleet.lab.Response.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** {@code /v1/oauth2}: access tokens for client credentials, and fresh ones for a refresh token. */
final class TokensEndpoint {
  private final Tokens tokens;

  TokensEndpoint(Tokens tokens) {
    this.tokens = tokens;
  }

  Response postToken(Request r) {
    // A server without OIDC has no client table, so every credential is unknown: 401.
    if (r.header("Authorization") == null) {
      return text(401, "No authorization header specified");
    }
    Tokens.Issued issued = tokens.issue(r.header("Authorization"));
    if (issued == null) {
      return text(401, "Invalid client id or client key");
    }
    ObjectNode answer = object();
    answer.put("access_token", issued.accessToken());
    answer.put("token_type", "Bearer");
    answer.put("expires_in", issued.expiresInSeconds());
    answer.put("refresh_token", issued.refreshToken());
    return json(200, answer);
  }

  Response postRefresh(Request r) throws IOException {
    JsonNode body = r.json(MAX_JSON_BYTES);
    String refresh = body == null ? null : body.path("refresh_token").asText(null);
    Tokens.Issued issued = tokens.refresh(refresh);
    if (issued == null) {
      return message(400, "Invalid refresh token.");
    }
    ObjectNode answer = object();
    answer.put("access_token", issued.accessToken());
    answer.put("token_type", "Bearer");
    answer.put("expires_in", issued.expiresInSeconds());
    return json(200, answer);
  }
}
