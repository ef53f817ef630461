package io.tfleet.client.auth;

import io.tfleet.client.ApiException;
import io.tfleet.client.AuthApi;
import io.tfleet.client.Credentials;
import io.tfleet.client.DeviceCode;
import io.tfleet.client.TokenAnswer;
import io.tfleet.client.TokenSource;
import java.io.IOException;
import java.util.Optional;

/**
 * Tokens found the way the upstream CLI finds them: client credentials first, then the stored
 * refresh token (the login shared with the CLI), then, when the server asks for a token and offers
 * one, an OIDC device login approved by the person at the terminal. A token the server later
 * refuses is renewed from the source that gave it.
 *
 * <p>One renewal at a time: concurrent calls refused the same token wait for it and share the new
 * one, so a fleet of calls makes one login, not one each.
 */
public final class Login implements TokenSource {
  /** Where the current token came from. */
  public enum Source {
    NONE,
    CREDENTIALS,
    STORED_LOGIN,
    DEVICE_LOGIN
  }

  private final Credentials credentials;
  private final AuthFile file;
  private final Person person;

  private boolean started;
  private boolean storedRead;
  private boolean noDeviceLogin;
  private ApiException deviceFailure;
  private String accessToken;
  private String refreshToken;
  private String clientId;
  private Source source = Source.NONE;

  /**
   * @param credentials null when none were given
   * @param file the stored login for this server; null to neither read nor write one
   */
  public Login(Credentials credentials, AuthFile file, Person person) {
    this.credentials = credentials;
    this.file = file;
    this.person = person;
  }

  @Override
  public synchronized String current(AuthApi api) throws IOException, ApiException {
    if (!started) {
      started = true;
      acquire(api, /* deviceLogin= */ false);
    }
    return accessToken;
  }

  @Override
  public synchronized String renew(AuthApi api, String rejected) throws IOException, ApiException {
    started = true;
    if (accessToken != null && !accessToken.equals(rejected)) {
      return accessToken; // another call renewed it while this one waited
    }
    accessToken = null;
    acquire(api, /* deviceLogin= */ true);
    return accessToken;
  }

  /** Where the current token came from. */
  public synchronized Source source() {
    return source;
  }

  /** The stored login file, if this login reads one. */
  public Optional<AuthFile> file() {
    return Optional.ofNullable(file);
  }

  /**
   * Logs in now with a device login, whatever is stored, and stores the new login. Empty when the
   * server offers no device login.
   */
  public synchronized Optional<TokenAnswer> deviceLoginNow(AuthApi api)
      throws IOException, ApiException {
    started = true;
    storedRead = true;
    Optional<DeviceCode> code = api.startDeviceLogin();
    if (code.isEmpty()) {
      return Optional.empty();
    }
    TokenAnswer answer =
        new DeviceLogin(api::pollDeviceLogin, person).await(code.get(), api.server());
    accepted(answer, Source.DEVICE_LOGIN, Jwt.clientId(answer.accessToken()).orElse(null));
    return Optional.of(answer);
  }

  /** Logs in with the credentials now and stores the login, as {@code testflinger login} does. */
  public synchronized TokenAnswer credentialsLoginNow(AuthApi api)
      throws IOException, ApiException {
    started = true;
    storedRead = true;
    TokenAnswer answer = api.token(credentials);
    accepted(answer, Source.CREDENTIALS, credentials.clientId());
    if (answer.refreshToken() != null) {
      store(answer.refreshToken(), credentials.clientId());
    }
    return answer;
  }

  private void acquire(AuthApi api, boolean deviceLogin) throws IOException, ApiException {
    if (credentials != null) {
      accessToken = api.token(credentials).accessToken();
      source = Source.CREDENTIALS;
      return;
    }
    if (!storedRead) {
      storedRead = true;
      if (file != null) {
        Optional<AuthFile.Stored> stored = file.read();
        if (stored.isPresent()) {
          refreshToken = stored.get().refreshToken();
          clientId = stored.get().clientId();
        }
      }
    }
    if (refreshToken != null) {
      try {
        accessToken = api.refresh(refreshToken).accessToken();
        source = Source.STORED_LOGIN;
        return;
      } catch (ApiException e) {
        if (e.status() != 400) {
          throw e;
        }
        forget();
      }
    }
    if (deviceLogin) {
      deviceLogin(api);
    }
  }

  /** The server refused the stored refresh token: forget it, as the CLI does, and say so. */
  private void forget() throws IOException {
    refreshToken = null;
    source = Source.NONE;
    boolean removed = file != null && file.remove();
    person.tell(
        "tfleet: the server refused the stored login"
            + (clientId == null ? "" : " of " + clientId)
            + " (expired or revoked); it is forgotten"
            + (removed ? " (removed " + file.path() + ")" : "")
            + ". Log in again with 'tfleet login' or give credentials.");
  }

  private void deviceLogin(AuthApi api) throws IOException, ApiException {
    if (deviceFailure != null) {
      throw new ApiException(deviceFailure.status(), deviceFailure.getMessage());
    }
    // Without a person nothing could approve a login: the server's 401 stands, and its message
    // says how to authenticate instead.
    if (noDeviceLogin || !person.present()) {
      return;
    }
    Optional<DeviceCode> code = api.startDeviceLogin();
    if (code.isEmpty()) {
      noDeviceLogin = true; // a server without OIDC: stay anonymous
      return;
    }
    try {
      TokenAnswer answer =
          new DeviceLogin(api::pollDeviceLogin, person).await(code.get(), api.server());
      accepted(answer, Source.DEVICE_LOGIN, Jwt.clientId(answer.accessToken()).orElse(null));
    } catch (ApiException e) {
      deviceFailure = e;
      throw e;
    }
  }

  private void accepted(TokenAnswer answer, Source from, String owner) throws IOException {
    accessToken = answer.accessToken();
    source = from;
    clientId = owner;
    if (from == Source.DEVICE_LOGIN) {
      refreshToken = answer.refreshToken();
      if (refreshToken != null) {
        store(refreshToken, owner);
      }
    }
  }

  private void store(String refresh, String owner) {
    if (file == null) {
      return;
    }
    try {
      file.write(new AuthFile.Stored(owner, refresh));
    } catch (IOException e) {
      // The login works for this run; only the next one will have to log in again.
      person.tell(
          "tfleet: warning: cannot store the login in " + file.path() + ": " + e.getMessage());
    }
  }
}
