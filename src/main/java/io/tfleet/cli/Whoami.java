package io.tfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.client.auth.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an access token says about its holder, in words. */
final class Whoami {
  private Whoami() {}

  /** The token's role; the server treats a token without one as a contributor. */
  static String role(String token) {
    return Jwt.claims(token)
        .map(c -> c.path("permissions").path("role").asText(""))
        .filter(s -> !s.isEmpty())
        .orElse("contributor");
  }

  /** Lines describing the token's holder and permissions. */
  static List<String> describe(String token, Instant now) {
    JsonNode claims = Jwt.claims(token).orElse(null);
    List<String> lines = new ArrayList<>();
    if (claims == null) {
      lines.add("Token:     not a JWT; the server decides what it allows");
      return lines;
    }
    JsonNode permissions = claims.path("permissions");
    lines.add("Identity:  " + permissions.path("client_id").asText("(unnamed)"));
    lines.add("Role:      " + role(token));
    if (claims.has("exp")) {
      long left = (long) Math.floor(claims.path("exp").asDouble() - now.getEpochSecond());
      lines.add(
          "Token:     "
              + (left > 0 ? "valid for " + human(Duration.ofSeconds(left)) : "expired")
              + " (renewed on its own)");
    }
    lines.add("Priority:  " + priorities(permissions.path("max_priority")));
    JsonNode queues = permissions.path("allowed_queues");
    List<String> allowed = new ArrayList<>();
    queues.forEach(q -> allowed.add(q.asText()));
    lines.add("Restricted queues: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
    JsonNode reservations = permissions.path("max_reservation_time");
    List<String> times = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : reservations.properties()) {
      times.add(e.getKey() + " " + human(Duration.ofSeconds(e.getValue().asLong())));
    }
    lines.add(
        "Reservations: "
            + (times.isEmpty()
                ? "up to 6 h (the server's limit for everyone)"
                : String.join(", ", times)));
    return lines;
  }

  private static String priorities(JsonNode maxPriority) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : maxPriority.properties()) {
      parts.add(
          (e.getKey().equals("*") ? "any queue" : e.getKey()) + " up to " + e.getValue().asText());
    }
    return parts.isEmpty() ? "0 only (no priority allowed)" : String.join(", ", parts);
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600) {
      return s / 3600 + " h" + (s % 3600 / 60 > 0 ? " " + s % 3600 / 60 + " min" : "");
    }
    return s >= 60 ? s / 60 + " min" : s + " s";
  }
}
