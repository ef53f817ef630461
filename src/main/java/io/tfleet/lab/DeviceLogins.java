package io.tfleet.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device logins of a lab with OIDC on, and the stand-in identity provider that approves or
 * denies them: a test calls {@link #approve}, {@link #deny}, {@link #slowDown} or {@link #expire};
 * a person uses the page at {@code /device}. Answers as the upstream server does (see {@code
 * upstream-oidc-exchanges.json}).
 */
public final class DeviceLogins {
  /** The user a login is approved as when nobody says otherwise. */
  public static final String DEFAULT_USER = "lab-user@example.com";

  private static final String CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ";

  private enum State {
    PENDING,
    APPROVED,
    DENIED,
    EXPIRED
  }

  private static final class Pending {
    final String requestId;
    final String userCode;
    final long expiresAtMillis;
    State state = State.PENDING;
    String user;
    boolean slowDownNext;

    Pending(String requestId, String userCode, long expiresAtMillis) {
      this.requestId = requestId;
      this.userCode = userCode;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  /** An HTTP answer: status, JSON body, extra headers. */
  record Answer(int status, ObjectNode body, Map<String, String> headers) {}

  private final OidcSettings settings;
  private final Tokens tokens;
  private final Clock clock;
  private final ObjectMapper json;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pending> byRequest = new ConcurrentHashMap<>();
  private final AtomicLong polls = new AtomicLong();

  DeviceLogins(OidcSettings settings, Tokens tokens, Clock clock, ObjectMapper json) {
    this.settings = settings;
    this.tokens = tokens;
    this.clock = clock;
    this.json = json;
  }

  /** {@code POST /oidc/auth-init}; {@code base} is the lab's address as the client used it. */
  synchronized Answer init(String base) {
    String requestId = token(24);
    String userCode = userCode();
    byRequest.put(
        requestId,
        new Pending(requestId, userCode, clock.millis() + settings.codeLifetime().toMillis()));
    ObjectNode body = json.createObjectNode();
    body.put("expires_in", settings.codeLifetime().toSeconds());
    body.put("interval", settings.interval().toSeconds());
    body.put("request_id", requestId);
    body.put("user_code", userCode);
    body.put("verification_uri", base + "/device");
    body.put("verification_uri_complete", base + "/device?user_code=" + userCode);
    return new Answer(200, body, Map.of());
  }

  /** {@code POST /oidc/auth-poll/<request_id>}. */
  synchronized Answer poll(String requestId) {
    polls.incrementAndGet();
    Pending login = byRequest.get(requestId);
    if (login == null) {
      ObjectNode body = json.createObjectNode();
      body.putObject("detail");
      body.put("message", "Invalid or expired request_id");
      return new Answer(400, body, Map.of());
    }
    if (login.state == State.PENDING && clock.millis() >= login.expiresAtMillis) {
      login.state = State.EXPIRED;
    }
    switch (login.state) {
      case APPROVED:
        byRequest.remove(requestId);
        Tokens.Issued issued = tokens.issueForUser(login.user);
        ObjectNode body = json.createObjectNode();
        body.put("access_token", issued.accessToken());
        body.put("expires_in", issued.expiresInSeconds());
        body.put("refresh_token", issued.refreshToken());
        body.put("token_type", "Bearer");
        return new Answer(200, body, Map.of());
      case DENIED:
        byRequest.remove(requestId);
        return error("access_denied", Map.of());
      case EXPIRED:
        return error("expired_token", Map.of());
      default:
        if (login.slowDownNext) {
          login.slowDownNext = false;
          return error(
              "slow_down",
              Map.of("Retry-After", String.valueOf(settings.slowDownWait().toSeconds())));
        }
        return error("authorization_pending", Map.of());
    }
  }

  private Answer error(String error, Map<String, String> headers) {
    return new Answer(400, json.createObjectNode().put("error", error), headers);
  }

  /** Approves the login waiting for {@code userCode} as {@code user}; false when none waits. */
  public synchronized boolean approve(String userCode, String user) {
    return change(
        userCode,
        login -> {
          login.state = State.APPROVED;
          login.user = user == null || user.isBlank() ? DEFAULT_USER : user.strip();
        });
  }

  /** Denies the login waiting for {@code userCode}; false when none waits. */
  public synchronized boolean deny(String userCode) {
    return change(userCode, login -> login.state = State.DENIED);
  }

  /** The next poll of that login answers {@code slow_down}; false when none waits. */
  public synchronized boolean slowDown(String userCode) {
    return change(userCode, login -> login.slowDownNext = true);
  }

  /** Lets the code run out now; false when none waits. */
  public synchronized boolean expire(String userCode) {
    return change(userCode, login -> login.state = State.EXPIRED);
  }

  /** The user codes of the logins waiting for approval, oldest first. */
  public synchronized List<String> waiting() {
    List<String> codes = new ArrayList<>();
    byRequest.values().stream()
        .filter(l -> l.state == State.PENDING)
        .sorted((a, b) -> Long.compare(a.expiresAtMillis, b.expiresAtMillis))
        .forEach(l -> codes.add(l.userCode));
    return codes;
  }

  /** How many polls the lab has answered. */
  public long polls() {
    return polls.get();
  }

  private boolean change(String userCode, java.util.function.Consumer<Pending> edit) {
    Optional<Pending> login =
        byRequest.values().stream()
            .filter(l -> l.userCode.equalsIgnoreCase(userCode == null ? "" : userCode.strip()))
            .filter(l -> l.state == State.PENDING)
            .findFirst();
    login.ifPresent(edit);
    return login.isPresent();
  }

  /** The lab's approval page: a form with the code, the e-mail to log in as, approve and deny. */
  static String page(String userCode, String message) {
    Map<String, String> esc = new LinkedHashMap<>();
    String code = html(userCode == null ? "" : userCode);
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>tfleet lab: device login</title></head>"
        + "<body><h1>tfleet lab: device login</h1>"
        + (message == null ? "" : "<p>" + html(message) + "</p>")
        + "<form method=\"post\" action=\"/device\">"
        + "<p><label>Code <input name=\"user_code\" value=\""
        + code
        + "\"></label></p>"
        + "<p><label>Log in as <input name=\"email\" value=\""
        + DEFAULT_USER
        + "\"></label></p>"
        + "<p><button name=\"action\" value=\"approve\">Approve</button> "
        + "<button name=\"action\" value=\"deny\">Deny</button></p></form></body></html>";
  }

  private static String html(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private String userCode() {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        code.append('-');
      }
      code.append(CODE_LETTERS.charAt(random.nextInt(CODE_LETTERS.length())));
    }
    return code.toString();
  }

  private String token(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
