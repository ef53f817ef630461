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
    return json(200, answer(issued).put("refresh_token", issued.refreshToken()));
  }

  Response postRefresh(Request r) throws IOException {
    JsonNode body = r.json(MAX_JSON_BYTES);
    String refresh = body == null ? null : body.path("refresh_token").asText(null);
    Tokens.Issued issued = tokens.refresh(refresh);
    if (issued == null) {
      return message(400, "Invalid refresh token.");
    }
    return json(200, answer(issued));
  }

  private static ObjectNode answer(Tokens.Issued issued) {
    return object()
        .put("access_token", issued.accessToken())
        .put("token_type", "Bearer")
        .put("expires_in", issued.expiresInSeconds());
  }
}
