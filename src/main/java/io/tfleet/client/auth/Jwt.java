package io.tfleet.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads an access token's claims without checking its signature: only to tell the user who they are
 * and what they may do; the server checks every token it is sent.
 */
public final class Jwt {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Jwt() {}

  /** The token's payload, or empty when it is not a JWT. */
  public static Optional<JsonNode> claims(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code permissions.client_id}, which names the user of a device login. */
  public static Optional<String> clientId(String token) {
    return claims(token)
        .map(c -> c.path("permissions").path("client_id").asText(""))
        .filter(s -> !s.isEmpty());
  }
}
