package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The server's login endpoints: client credentials, refresh tokens, and the OIDC device login.
 * These calls never carry a bearer token. The same contract as {@link TestflingerClient}: an {@link
 * IOException} means the call may not have reached the server, an error answer is an {@link
 * ApiException} with its status. All are safe to retry except {@link #pollDeviceLogin} after an
 * approval (the server forgets the request once it handed out the tokens).
 */
public final class AuthApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** RFC 8628's defaults when the server leaves them out. */
  private static final long DEFAULT_INTERVAL_SECONDS = 5;

  private static final long DEFAULT_EXPIRES_SECONDS = 300;

  private final TestflingerClient client;

  AuthApi(TestflingerClient client) {
    this.client = client;
  }

  /** The server this talks to. */
  public java.net.URI server() {
    return client.server();
  }

  /** {@code POST /v1/oauth2/token} with HTTP Basic credentials; a refusal is a 401 or 403. */
  public TokenAnswer token(Credentials credentials) throws IOException, ApiException {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (credentials.clientId() + ":" + credentials.secretKey())
                    .getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request =
        client
            .transport()
            .request("/v1/oauth2/token")
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response =
        client.transport().exchange(request, null, "get an access token");
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new ApiException(
          response.statusCode(),
          "the server refused client id '"
              + credentials.clientId()
              + "' and its secret key ("
              + response.statusCode()
              + ")");
    }
    return tokens(client.transport().check(response, "get an access token"), "get an access token");
  }

  /**
   * {@code POST /v1/oauth2/refresh}: a new access token for a refresh token. An unknown, expired or
   * revoked refresh token answers 400.
   */
  public TokenAnswer refresh(String refreshToken) throws IOException, ApiException {
    String body = JSON.createObjectNode().put("refresh_token", refreshToken).toString();
    HttpRequest.Builder request =
        client
            .transport()
            .request("/v1/oauth2/refresh")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    String what = "renew the access token with the stored login";
    return tokens(
        client.transport().check(client.transport().exchange(request, null, what), what), what);
  }

  /**
   * {@code POST /oidc/auth-init}: starts a device login; empty when the server has no OIDC login
   * (404), as a server without an identity provider answers.
   */
  public Optional<DeviceCode> startDeviceLogin() throws IOException, ApiException {
    String what = "start a device login";
    HttpRequest.Builder request =
        client.transport().request("/oidc/auth-init").POST(HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response = client.transport().exchange(request, null, what);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode answer = Messages.json(client.transport().check(response, what), what);
    String requestId = answer.path("request_id").asText("");
    String userCode = answer.path("user_code").asText("");
    String uri = answer.path("verification_uri").asText("");
    if (requestId.isEmpty() || userCode.isEmpty() || uri.isEmpty()) {
      throw new ApiException(
          response.statusCode(), "the server's device login answer is incomplete");
    }
    long interval = answer.path("interval").asLong(DEFAULT_INTERVAL_SECONDS);
    long expires = answer.path("expires_in").asLong(DEFAULT_EXPIRES_SECONDS);
    return Optional.of(
        new DeviceCode(
            requestId,
            userCode,
            uri,
            answer.path("verification_uri_complete").asText(null),
            Duration.ofSeconds(interval > 0 ? interval : DEFAULT_INTERVAL_SECONDS),
            Duration.ofSeconds(expires > 0 ? expires : DEFAULT_EXPIRES_SECONDS)));
  }

  /** {@code POST /oidc/auth-poll/<request_id>}: where the device login stands. */
  public DevicePoll pollDeviceLogin(String requestId) throws IOException, ApiException {
    String what = "ask whether the device login was approved";
    HttpRequest.Builder request =
        client
            .transport()
            .request("/oidc/auth-poll/" + requestId)
            .POST(HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response = client.transport().exchange(request, null, what);
    if (response.statusCode() == 200) {
      return new DevicePoll(DevicePoll.State.APPROVED, tokens(response, what), null);
    }
    if (response.statusCode() == 400) {
      JsonNode body = Messages.parseOrNull(response.body());
      String error = body == null ? "" : body.path("error").asText("");
      switch (error) {
        case "authorization_pending":
          return DevicePoll.of(DevicePoll.State.PENDING);
        case "slow_down":
          return new DevicePoll(DevicePoll.State.SLOW_DOWN, null, Transport.retryAfter(response));
        case "access_denied":
          return DevicePoll.of(DevicePoll.State.DENIED);
        case "expired_token":
          return DevicePoll.of(DevicePoll.State.EXPIRED);
        default:
          if (error.isEmpty()) {
            // {"message": "Invalid or expired request_id"}: the request is gone.
            return DevicePoll.of(DevicePoll.State.GONE);
          }
      }
    }
    client.transport().check(response, what);
    throw new ApiException(
        response.statusCode(), "cannot " + what + ": unexpected answer " + response.statusCode());
  }

  private static TokenAnswer tokens(HttpResponse<String> response, String what)
      throws ApiException, BadAnswerException {
    JsonNode answer = Messages.json(response, what);
    String access = answer.path("access_token").asText("");
    if (access.isEmpty()) {
      throw new ApiException(
          response.statusCode(), "the server's token answer has no access_token");
    }
    String refresh = answer.path("refresh_token").asText("");
    return new TokenAnswer(
        access, refresh.isEmpty() ? null : refresh, answer.path("expires_in").asLong(0));
  }
}
