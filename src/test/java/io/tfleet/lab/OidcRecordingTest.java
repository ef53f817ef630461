package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.client.auth.Jwt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code upstream-oidc-exchanges.json}, the real server with OIDC on, call by call against
 * {@code lab --oidc}, driving the lab's stand-in identity provider where the recorder drove its
 * own, and compares each answer's status and JSON shape (its keys, and the values that are not
 * ids).
 */
class OidcRecordingTest {
  static final String RECORDING = "shared/reference/upstream-oidc-exchanges.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Calls the lab does not serve the recorded way, and why. */
  private static final Map<String, String> NOT_REPLAYED =
      Map.of(
          "anon: web UI home", "the lab has no web UI",
          "anon: web UI jobs page", "the lab has no web UI",
          "anon: web login start (redirect to IdP)", "the lab has no web UI",
          "OIDC user: client permissions (needs admin/manager)",
              "the lab has no client-permissions endpoint",
          "auth-poll after approve as email 'ci-user' (existing client_id)",
              "upstream answers 500 (a duplicate key); nothing to copy");

  /** Answers whose status is compared but whose body belongs to the OIDC-off shapes. */
  private static final Map<String, String> STATUS_ONLY =
      Map.of(
          "anon: server home", "version text",
          "OIDC user: job by id",
              "the job's shape is the OIDC-off one, checked against that recording",
          "OIDC user: queues list", "the lab's queues are its own",
          "anon: token with wrong credentials", "text body, as with OIDC off",
          "anon: token without credentials", "text body, as with OIDC off",
          "OIDC user: credentials login with the OIDC client_id", "text body, as with OIDC off",
          "anon: refresh with an unknown token", "the refresh refusal body is the OIDC-off one");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void labWithOidcAnswersEveryRecordedCallAsTheRealServerDid() throws Exception {
    Optional<Path> file = find();
    Assumptions.assumeTrue(file.isPresent(), "SKIPPED: needs " + RECORDING + " in a parent folder");
    JsonNode recording = JSON.readTree(file.get().toFile());
    LabConfig config =
        LabConfig.defaults()
            .withClients(Map.of("ci-user", "ci-secret"))
            .withOidc(OidcSettings.on());
    List<String> replayed = new ArrayList<>();
    try (Lab lab = Lab.start(config)) {
      List<String> requestIds = new ArrayList<>();
      List<String> userCodes = new ArrayList<>();
      String accessToken = null;
      String refreshToken = null;
      String jobId = null;
      for (JsonNode exchange : recording.path("exchanges")) {
        String name = exchange.path("name").asText();
        if (NOT_REPLAYED.containsKey(name)) {
          continue;
        }
        JsonNode request = exchange.path("request");
        String path = request.path("path").asText();
        for (int i = 0; i < requestIds.size(); i++) {
          path = path.replace("<request_id-" + (i + 1) + ">", requestIds.get(i));
        }
        path =
            path.replace(
                "<uuid>",
                jobId != null && name.startsWith("OIDC user")
                    ? jobId
                    : UUID.randomUUID().toString());
        String code = userCodes.isEmpty() ? null : userCodes.get(userCodes.size() - 1);
        // The recorder's identity provider did these before the call; the lab's does the same.
        if (name.equals("auth-poll after IdP slow_down")) {
          assertThat(lab.deviceLogins().slowDown(code)).isTrue();
        } else if (name.equals("auth-poll after deny")) {
          assertThat(lab.deviceLogins().deny(code)).isTrue();
        } else if (name.equals("auth-poll after expiry")) {
          assertThat(lab.deviceLogins().expire(code)).isTrue();
        } else if (name.startsWith("auth-poll after approve")) {
          assertThat(lab.deviceLogins().approve(code, "rec-user@example.com")).isTrue();
        }
        HttpRequest.Builder builder =
            HttpRequest.newBuilder(URI.create(lab.url() + path)).timeout(Duration.ofSeconds(10));
        JsonNode body = request.path("body");
        String text =
            body.isMissingNode() || body.isNull()
                ? null
                : body.toString().replace("<refresh_token-1>", String.valueOf(refreshToken));
        builder.method(
            request.path("method").asText(),
            text == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
          builder.header("Content-Type", "application/json");
        }
        String authorization = request.path("headers").path("Authorization").asText(null);
        if (authorization != null) {
          String basic =
              name.startsWith("ci-user")
                  ? "ci-user:ci-secret"
                  : name.startsWith("OIDC user") ? "rec-user@example.com:x" : "ci-user:wrong";
          builder.header(
              "Authorization",
              authorization
                  .replace("<access_token-1>", String.valueOf(accessToken))
                  .replace(
                      "<credentials>",
                      Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8))));
        }
        HttpResponse<String> response =
            http.send(builder.build(), HttpResponse.BodyHandlers.ofString());

        String where = name + ": " + response.body();
        assertThat(response.statusCode()).as(where).isEqualTo(exchange.path("status").asInt());
        replayed.add(name);
        JsonNode expected = exchange.path("body");
        JsonNode got = response.body().isEmpty() ? null : tryJson(response.body());
        if (expected.isObject() && !STATUS_ONLY.containsKey(name)) {
          assertThat(got).as(where).isNotNull();
          assertThat(keys(got)).as(where).isEqualTo(keys(expected));
          for (String field :
              List.of("message", "error", "token_type", "expires_in", "interval", "detail")) {
            if (expected.has(field) && !expected.get(field).asText().startsWith("<")) {
              assertThat(got.get(field)).as(where + " " + field).isEqualTo(expected.get(field));
            }
          }
          assertThat(exchange.path("content_type").asText()).isEqualTo("application/json");
          assertThat(response.headers().firstValue("Content-Type"))
              .as(where)
              .contains("application/json");
        }
        String retryAfter = exchange.path("headers").path("Retry-After").asText(null);
        if (retryAfter != null) {
          assertThat(response.headers().firstValue("Retry-After")).as(where).contains(retryAfter);
        }
        if (name.startsWith("auth-init")) {
          requestIds.add(got.get("request_id").asText());
          userCodes.add(got.get("user_code").asText());
          assertThat(got.get("verification_uri_complete").asText())
              .isEqualTo(
                  got.get("verification_uri").asText()
                      + "?user_code="
                      + got.get("user_code").asText());
        }
        if (got != null && got.has("access_token")) {
          accessToken = got.get("access_token").asText();
          if (got.has("refresh_token") && refreshToken == null) {
            refreshToken = got.get("refresh_token").asText();
          }
        }
        if (name.equals("OIDC user: submit")) {
          jobId = got.get("job_id").asText();
        }
        if (name.equals("auth-poll after approve")
            || name.equals("refresh with the OIDC refresh token")) {
          JsonNode claims = Jwt.claims(accessToken).orElseThrow();
          JsonNode recorded = recording.path("jwt_payloads").path("access token from auth-poll");
          assertThat(claims.path("permissions")).isEqualTo(recorded.path("permissions"));
          assertThat(claims.path("sub").asText()).isEqualTo(recorded.path("sub").asText());
          // exp may carry a fraction in the lab (for sub-second test lifetimes); its whole seconds
          // match.
          assertThat((long) claims.path("exp").asDouble() - claims.path("iat").asLong())
              .isEqualTo(recorded.path("exp_minus_iat").asLong());
        }
        if (name.equals("ci-user credentials login afterwards")) {
          JsonNode permissions = Jwt.claims(accessToken).orElseThrow().path("permissions");
          assertThat(keys(permissions))
              .isEqualTo(
                  keys(
                      recording
                          .path("jwt_payloads")
                          .path("ci-user access token after the clash")
                          .path("permissions")));
        }
      }
    }
    assertThat(replayed).hasSize(recording.path("exchanges").size() - NOT_REPLAYED.size());
  }

  private static TreeSet<String> keys(JsonNode node) {
    TreeSet<String> keys = new TreeSet<>();
    Iterator<String> names = node.fieldNames();
    names.forEachRemaining(keys::add);
    return keys;
  }

  private static JsonNode tryJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  private static Optional<Path> find() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(RECORDING))) {
        return Optional.of(dir.resolve(RECORDING));
      }
    }
    return Optional.empty();
  }
}
