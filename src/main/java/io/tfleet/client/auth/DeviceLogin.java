package io.tfleet.client.auth;

import io.tfleet.client.ApiException;
import io.tfleet.client.DeviceCode;
import io.tfleet.client.DevicePoll;
import io.tfleet.client.TokenAnswer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;

/**
 * Waits for a person to approve a device login (RFC 8628 through the Testflinger server): shows
 * them where to go and the code, opens their browser if it can, and polls at the server's interval
 * until the login is approved, denied or expired.
 */
public final class DeviceLogin {
  /** RFC 8628 section 3.5: after slow_down, poll this much less often from then on. */
  static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

  /** One poll of the login; {@code AuthApi::pollDeviceLogin} in use. */
  @FunctionalInterface
  public interface Poller {
    DevicePoll poll(String requestId) throws IOException, ApiException;
  }

  private final Poller poller;
  private final Person person;

  public DeviceLogin(Poller poller, Person person) {
    this.poller = poller;
    this.person = person;
  }

  /**
   * Waits for the login started with {@code code} and returns its tokens. Denied or expired, it
   * ends with a 401 {@link ApiException} that says so.
   */
  public TokenAnswer await(DeviceCode code, URI server) throws IOException, ApiException {
    String where =
        code.verificationUriComplete() != null
            ? code.verificationUriComplete()
            : code.verificationUri();
    person.tell(
        "To log in to "
            + server
            + ", open "
            + code.verificationUri()
            + " and enter the code "
            + code.userCode());
    if (code.verificationUriComplete() != null) {
      person.tell("  (or open " + code.verificationUriComplete() + ")");
    }
    try {
      person.open(URI.create(where));
    } catch (IllegalArgumentException e) {
      // not a URI a browser could open; the person has the text
    }
    person.tell(
        "Waiting for the login to be approved (the code is valid for "
            + minutes(code.expiresIn())
            + "; Ctrl-C gives up)...");
    Duration interval = code.interval();
    Duration wait = interval;
    Duration waited = Duration.ZERO;
    while (true) {
      if (waited.plus(wait).compareTo(code.expiresIn()) > 0) {
        throw expired();
      }
      try {
        person.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the login to be approved");
      }
      waited = waited.plus(wait);
      wait = interval;
      DevicePoll answer;
      try {
        answer = poller.poll(code.requestId());
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        continue; // the network hiccupped; the login is still waiting for the person
      } catch (ApiException e) {
        if (e.status() >= 500) {
          continue;
        }
        throw e;
      }
      switch (answer.state()) {
        case APPROVED:
          person.tell("Logged in.");
          return answer.tokens();
        case PENDING:
          break;
        case SLOW_DOWN:
          // The server's own Retry-After says how long; without one, RFC 8628's step.
          interval =
              answer.retryAfter() != null
                  ? max(interval, answer.retryAfter())
                  : interval.plus(SLOW_DOWN_STEP);
          wait = answer.retryAfter() != null ? max(interval, answer.retryAfter()) : interval;
          break;
        case DENIED:
          throw new ApiException(401, "the login was denied at " + code.verificationUri());
        case EXPIRED:
        case GONE:
        default:
          throw expired();
      }
    }
  }

  private static ApiException expired() {
    return new ApiException(
        401,
        "the login code expired before it was approved; run the command again" + " for a new code");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String minutes(Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 ? s / 60 + " min" : s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
  }
}
