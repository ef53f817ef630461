package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks access tokens shaped like the server's HS256 JWTs, signed with a key that
 * lives as long as the lab.
 */
final class Tokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  enum Check {
    VALID,
    MISSING,
    EXPIRED,
    INVALID
  }

  record Issued(String accessToken, String refreshToken, long expiresInSeconds) {}

  private final Map<String, String> clients;
  private final Duration lifetime;
  private final Clock clock;
  private final ObjectMapper json;
  private final byte[] key = new byte[32];
  private final SecureRandom random = new SecureRandom();
  /** Refresh tokens last 6 days upstream; a lab never lives that long, so they never expire. */
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

  Tokens(Map<String, String> clients, Duration lifetime, Clock clock, ObjectMapper json) {
    this.clients = clients;
    this.lifetime = lifetime;
    this.clock = clock;
    this.json = json;
    random.nextBytes(key);
  }

  /** True when calls that change jobs need a token. */
  boolean required() {
    return !clients.isEmpty();
  }

  /**
   * Issues tokens for the credentials of an HTTP Basic header, or returns null. A lab without
   * clients has none to match, like a server without OIDC whose client table is empty.
   */
  Issued issue(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String clientId = decoded.substring(0, colon);
    String secret = decoded.substring(colon + 1);
    String expected = clients.get(clientId);
    if (expected == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    String refresh = randomToken();
    refreshTokens.put(refresh, clientId);
    return new Issued(accessToken(clientId), refresh, expiresIn());
  }

  /** A fresh access token for a refresh token, or null when the lab never issued it. */
  Issued refresh(String refreshToken) {
    String clientId = refreshToken == null ? null : refreshTokens.get(refreshToken);
    if (clientId == null) {
      return null;
    }
    return new Issued(accessToken(clientId), refreshToken, expiresIn());
  }

  Check check(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Check.MISSING;
    }
    String token = authorization.substring(7).trim();
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Check.INVALID;
    }
    byte[] expected = sign(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return Check.INVALID;
    }
    try {
      JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
      // exp is a NumericDate in seconds; fractions are legal and let tests use tiny lifetimes.
      double exp = claims.path("exp").asDouble(0);
      return clock.millis() / 1000.0 >= exp ? Check.EXPIRED : Check.VALID;
    } catch (java.io.IOException | IllegalArgumentException e) {
      return Check.INVALID;
    }
  }

  private long expiresIn() {
    return Math.max(0, lifetime.toSeconds());
  }

  private String accessToken(String clientId) {
    long now = clock.millis();
    ObjectNode header = json.createObjectNode().put("alg", "HS256").put("typ", "JWT");
    ObjectNode claims =
        json.createObjectNode()
            .put("sub", clientId)
            .put("iat", now / 1000)
            .put("exp", (now + lifetime.toMillis()) / 1000.0);
    claims.putObject("permissions");
    try {
      String unsigned =
          B64.encodeToString(json.writeValueAsBytes(header))
              + "."
              + B64.encodeToString(json.writeValueAsBytes(claims));
      return unsigned + "." + sign(unsigned);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(data.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private String randomToken() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }
}
