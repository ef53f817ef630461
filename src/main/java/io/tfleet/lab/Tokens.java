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
 * Issues and checks access tokens shaped like the server's HS256 JWTs, signed with a key that lives
 * as long as the lab.
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
  private final Duration refreshLifetime;
  private final Clock clock;
  private final ObjectMapper json;
  private final byte[] key = new byte[32];
  private final SecureRandom random = new SecureRandom();

  /** Whose a refresh token is, and until when (epoch millis) it may be used. */
  private record Holder(String clientId, boolean oidcUser, long expiresAtMillis) {}

  private final Map<String, Holder> refreshTokens = new ConcurrentHashMap<>();

  Tokens(Map<String, String> clients, Duration lifetime, Clock clock, ObjectMapper json) {
    this(clients, lifetime, Duration.ofDays(6), clock, json);
  }

  /** {@code refreshLifetime}: 6 days upstream; short in tests of a login that ran out. */
  Tokens(
      Map<String, String> clients,
      Duration lifetime,
      Duration refreshLifetime,
      Clock clock,
      ObjectMapper json) {
    this.clients = clients;
    this.lifetime = lifetime;
    this.refreshLifetime = refreshLifetime;
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
    return issue(clientId, /* oidcUser= */ false);
  }

  /**
   * Tokens for a person a device login approved: like upstream's, their token carries only {@code
   * client_id} (the e-mail) and {@code role}.
   */
  Issued issueForUser(String email) {
    return issue(email, /* oidcUser= */ true);
  }

  private Issued issue(String clientId, boolean oidcUser) {
    String refresh = randomToken();
    refreshTokens.put(
        refresh, new Holder(clientId, oidcUser, clock.millis() + refreshLifetime.toMillis()));
    return new Issued(accessToken(clientId, oidcUser), refresh, expiresIn());
  }

  /**
   * A fresh access token for a refresh token (the same refresh token again), or null when the lab
   * never issued it or it ran out; one that ran out is forgotten.
   */
  Issued refresh(String refreshToken) {
    Holder holder = refreshToken == null ? null : refreshTokens.get(refreshToken);
    if (holder == null) {
      return null;
    }
    if (clock.millis() >= holder.expiresAtMillis()) {
      refreshTokens.remove(refreshToken);
      return null;
    }
    return new Issued(accessToken(holder.clientId(), holder.oidcUser()), refreshToken, expiresIn());
  }

  /** Forgets every refresh token of {@code clientId}, as revoking them on the server would. */
  void revoke(String clientId) {
    refreshTokens.values().removeIf(h -> h.clientId().equals(clientId));
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

  private String accessToken(String clientId, boolean oidcUser) {
    long now = clock.millis();
    ObjectNode header = json.createObjectNode().put("alg", "HS256").put("typ", "JWT");
    ObjectNode claims =
        json.createObjectNode()
            .put("sub", "access_token")
            .put("iat", now / 1000)
            .put("exp", (now + lifetime.toMillis()) / 1000.0);
    ObjectNode permissions = claims.putObject("permissions");
    permissions.put("client_id", clientId).put("role", "contributor");
    if (!oidcUser) {
      // A credentials client's record carries its limits; upstream's empty ones allow nothing
      // extra.
      permissions.putObject("max_priority");
      permissions.putArray("allowed_queues");
      permissions.putObject("max_reservation_time");
    }
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
