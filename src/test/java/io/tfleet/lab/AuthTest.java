package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {
  private static Lab lab;

  @BeforeAll
  static void startLab() throws Exception {
    lab = Lab.start(LabConfig.defaults().withSimulate(true).withClients(Map.of("ci", "s3cret")));
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  private static HttpResponse<String> token(Lab lab, String clientId, String secret) {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    LabHttp http = new LabHttp(lab);
    return http.send(
        http.request("/v1/oauth2/token")
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static String accessToken(Lab lab) {
    HttpResponse<String> response = token(lab, "ci", "s3cret");
    assertThat(response.statusCode()).isEqualTo(200);
    return LabHttp.json(response).get("access_token").asText();
  }

  @Test
  void matchingCredentialsGetABearerToken() {
    JsonNode body = LabHttp.json(token(lab, "ci", "s3cret"));

    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(600);
    assertThat(body.get("access_token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(body.get("refresh_token").asText()).isNotEmpty();
  }

  @Test
  void wrongCredentialsAnswer401() {
    assertThat(token(lab, "ci", "guess").statusCode()).isEqualTo(401);
    assertThat(token(lab, "nobody", "s3cret").statusCode()).isEqualTo(401);
  }

  @Test
  void validTokenMaySubmitAndCancel() {
    LabHttp http = new LabHttp(lab).bearer(accessToken(lab));

    String id = http.submit(LabHttp.job("q", null));

    assertThat(http.cancel(id).statusCode()).isIn(200, 400);
    Await.idle(lab);
  }

  @Test
  void missingTokenAnswers401AndReadsStayOpen() {
    LabHttp anonymous = new LabHttp(lab);

    assertThat(anonymous.postJson("/v1/job", LabHttp.job("q", null)).statusCode()).isEqualTo(401);
    assertThat(anonymous.cancel(java.util.UUID.randomUUID().toString()).statusCode())
        .isEqualTo(401);
    assertThat(anonymous.get("/v1/job/search").statusCode()).isEqualTo(200);
  }

  @Test
  void forgedTokenAnswers403() {
    String token = accessToken(lab);
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";

    HttpResponse<String> response =
        new LabHttp(lab).bearer(forged).postJson("/v1/job", LabHttp.job("q", null));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(
            new LabHttp(lab)
                .bearer("junk")
                .postJson("/v1/job", LabHttp.job("q", null))
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void expiredTokenAnswers401TokenHasExpired() throws Exception {
    try (Lab shortLived =
        Lab.start(
            LabConfig.defaults()
                .withClients(Map.of("ci", "s3cret"))
                .withTokenLifetime(Duration.ofMillis(1)))) {
      LabHttp http = new LabHttp(shortLived).bearer(accessToken(shortLived));
      Await.until(
          "the token has expired",
          Duration.ofSeconds(5),
          () -> http.postJson("/v1/job", LabHttp.job("q", null)).statusCode() == 401);

      HttpResponse<String> response = http.postJson("/v1/job", LabHttp.job("q", null));
      assertThat(LabHttp.json(response).get("message").asText()).isEqualTo("Token has expired");
      assertThat(shortLived.stats().jobsCreated()).isZero();
    }
  }

  @Test
  void expiredTokenOnAReadAnswers401WhileReadsWithoutATokenStayOpen() throws Exception {
    try (Lab shortLived =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withClients(Map.of("ci", "s3cret"))
                .withTokenLifetime(Duration.ofMillis(1)))) {
      String id = java.util.UUID.randomUUID().toString();
      LabHttp http = new LabHttp(shortLived).bearer(accessToken(shortLived));
      Await.until(
          "the token has expired",
          Duration.ofSeconds(5),
          () -> http.get("/v1/result/" + id).statusCode() == 401);

      for (String path : new String[] {"/v1/result/" + id, "/v1/job/search", "/v1/job/" + id}) {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(401);
        assertThat(LabHttp.json(response).get("message").asText()).isEqualTo("Token has expired");
      }
      // Without a token, reads stay open, as before.
      assertThat(new LabHttp(shortLived).get("/v1/result/" + id).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void forgedTokenOnAReadAnswers403() {
    String token = accessToken(lab);
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";

    assertThat(new LabHttp(lab).bearer(forged).get("/v1/job/search").statusCode()).isEqualTo(403);
    assertThat(new LabHttp(lab).bearer("junk").get("/v1/agents/queues").statusCode())
        .isEqualTo(403);
    assertThat(new LabHttp(lab).bearer(token).get("/v1/job/search").statusCode()).isEqualTo(200);
  }

  @Test
  void tokenCallsIgnoreABearerHeader() {
    String refresh = LabHttp.json(token(lab, "ci", "s3cret")).get("refresh_token").asText();

    HttpResponse<String> response =
        new LabHttp(lab)
            .bearer("junk")
            .postJson("/v1/oauth2/refresh", "{\"refresh_token\": \"" + refresh + "\"}");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void anonymousLabReadsIgnoreABearerTokenButChangesCheckIt() throws Exception {
    try (Lab open = Lab.start(LabConfig.defaults().withSimulate(true))) {
      LabHttp junk = new LabHttp(open).bearer("not.a.jwt");
      String id = new LabHttp(open).submit(LabHttp.job("q", null));
      Await.idle(open);

      assertThat(junk.get("/v1/job/search").statusCode()).isEqualTo(200);
      assertThat(junk.get("/v1/result/" + id).statusCode()).isEqualTo(200);
      // As upstream with OIDC off: a token that is presented on submit must decode.
      HttpResponse<String> submit = junk.postJson("/v1/job", LabHttp.job("q", null));
      assertThat(submit.statusCode()).isEqualTo(403);
      assertThat(LabHttp.json(submit).get("message").asText()).isEqualTo("Unable to decode token");
      assertThat(junk.cancel(id).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void refreshTokenGetsANewAccessToken() {
    String refresh = LabHttp.json(token(lab, "ci", "s3cret")).get("refresh_token").asText();
    LabHttp http = new LabHttp(lab);

    HttpResponse<String> response =
        http.postJson("/v1/oauth2/refresh", "{\"refresh_token\": \"" + refresh + "\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    String fresh = LabHttp.json(response).get("access_token").asText();
    assertThat(
            new LabHttp(lab).bearer(fresh).postJson("/v1/job", LabHttp.job("q", null)).statusCode())
        .isEqualTo(200);
    assertThat(http.postJson("/v1/oauth2/refresh", "{\"refresh_token\": \"nope\"}").statusCode())
        .isEqualTo(400);
    Await.idle(lab);
  }

  @Test
  void anonymousLabAcceptsJobsWithoutTokenAndIssuesNone() throws Exception {
    try (Lab open = Lab.start(LabConfig.defaults())) {
      assertThat(new LabHttp(open).postJson("/v1/job", LabHttp.job("q", null)).statusCode())
          .isEqualTo(200);
      assertThat(token(open, "ci", "s3cret").statusCode()).isEqualTo(401);
    }
  }
}
