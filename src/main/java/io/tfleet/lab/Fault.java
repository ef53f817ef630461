package io.tfleet.lab;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A failure the lab injects into one request, so tests can prove how a client copes.
 *
 * <p>Each fault happens either before the lab handles the request (the server did nothing) or after
 * (the server did the work, then the client gets the fault). The second is the ambiguous case a
 * client must survive: a submission that failed may have created a job.
 */
public sealed interface Fault
    permits Fault.Status, Fault.Reset, Fault.Slow, Fault.Html, Fault.Truncate, Fault.BadJson {

  /** What {@link #slow()} waits: longer than a snappy client's patience, shorter than a test's. */
  Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(2);

  /** True when the lab handles the request first and then injects the fault. */
  boolean afterHandling();

  /** The same fault, injected once the lab has handled the request. */
  Fault onceHandled();

  /** The same fault, injected before the lab handles the request. */
  Fault beforeHandling();

  /**
   * The name stats count this fault under: {@code "503"}, {@code "reset"}, {@code "slow"}, {@code
   * "html"}, {@code "truncate"} or {@code "badjson"}, with {@code "-after-handling"} appended when
   * the lab handled the request first (never for {@code truncate}, which always does).
   */
  default String kind() {
    return baseKind() + (afterHandling() ? "-after-handling" : "");
  }

  /** The kind without its timing, as {@link #parse} reads it. */
  String baseKind();

  /** An answer with this status and a JSON message instead of the real answer. */
  static Status status(int code) {
    return new Status(code, /* afterHandling= */ false);
  }

  /** The connection closed without any answer. */
  static Reset reset() {
    return new Reset(/* afterHandling= */ false);
  }

  /** The real answer, {@link #DEFAULT_SLOW_DELAY} late. */
  static Slow slow() {
    return slow(DEFAULT_SLOW_DELAY);
  }

  /** The real answer, {@code delay} late. */
  static Slow slow(Duration delay) {
    return new Slow(delay, /* afterHandling= */ false);
  }

  /** A 200 {@code text/html} page instead of the answer, as from a captive portal. */
  static Html html() {
    return new Html(/* afterHandling= */ false);
  }

  /** The real answer cut in half. */
  static Truncate truncate() {
    return new Truncate();
  }

  /** A 200 JSON answer of the wrong shape. */
  static BadJson badJson() {
    return new BadJson(/* afterHandling= */ false);
  }

  /**
   * Reads one fault as the command line names it: a status code ({@code 503}), {@code reset},
   * {@code slow}, {@code slow:S} with a delay in seconds ({@code slow:0.5}), {@code html}, {@code
   * truncate} or {@code badjson}.
   *
   * @throws IllegalArgumentException with a message fit for a user
   */
  static Fault parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "reset":
        return reset();
      case "html":
        return html();
      case "truncate":
        return truncate();
      case "badjson":
        return badJson();
      default:
        break;
    }
    if (t.equals("slow")) {
      return slow();
    }
    if (t.startsWith("slow:")) {
      try {
        BigDecimal seconds = new BigDecimal(t.substring(5));
        if (seconds.signum() < 0) {
          throw new IllegalArgumentException("slow delay < 0: " + text);
        }
        return slow(Duration.ofNanos(seconds.movePointRight(9).longValueExact()));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("slow delay is not a number of seconds: " + text);
      }
    }
    if (!t.isEmpty() && t.chars().allMatch(c -> c >= '0' && c <= '9') && t.length() <= 3) {
      return status(Integer.parseInt(t));
    }
    throw new IllegalArgumentException(
        "unknown fault '"
            + text
            + "': expected a status code, reset, slow, slow:SECONDS, html, truncate or badjson");
  }

  /**
   * Answers {@code code} with {@code {"message": ...}}; 503 and 429 add {@code Retry-After: 1}, as
   * a proxy or a rate limiter in front of the server would.
   */
  record Status(int code, boolean afterHandling) implements Fault {
    public Status {
      // 1xx are not final answers, and the JDK server handles them itself.
      if (code < 200 || code > 599) {
        throw new IllegalArgumentException("fault status must be 200..599, not " + code);
      }
    }

    @Override
    public Status onceHandled() {
      return new Status(code, true);
    }

    @Override
    public Status beforeHandling() {
      return new Status(code, false);
    }

    @Override
    public String baseKind() {
      return String.valueOf(code);
    }

    /** True for the statuses whose real senders tell the client when to come back. */
    public boolean retryAfter() {
      return code == 503 || code == 429;
    }
  }

  /** Closes the connection without sending a byte of the answer. */
  record Reset(boolean afterHandling) implements Fault {
    @Override
    public Reset onceHandled() {
      return new Reset(true);
    }

    @Override
    public Reset beforeHandling() {
      return new Reset(false);
    }

    @Override
    public String baseKind() {
      return "reset";
    }
  }

  /**
   * Answers correctly, but only after {@code delay}: before handling the lab waits and then does
   * the work; after handling it does the work and then waits to answer.
   */
  record Slow(Duration delay, boolean afterHandling) implements Fault {
    public Slow {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("slow delay < 0");
      }
    }

    @Override
    public Slow onceHandled() {
      return new Slow(delay, true);
    }

    @Override
    public Slow beforeHandling() {
      return new Slow(delay, false);
    }

    @Override
    public String baseKind() {
      return "slow";
    }
  }

  /**
   * Answers 200 with an HTML page (a sign-in form) instead of the API's answer, as a captive
   * portal, a VPN's login page or a misrouted proxy does.
   */
  record Html(boolean afterHandling) implements Fault {
    @Override
    public Html onceHandled() {
      return new Html(true);
    }

    @Override
    public Html beforeHandling() {
      return new Html(false);
    }

    @Override
    public String baseKind() {
      return "html";
    }
  }

  /**
   * Sends the first half of the real answer's body, with a {@code Content-Length} of that half, as
   * a proxy that lost its upstream connection and ended the message it had started: the HTTP
   * message is whole, its JSON is cut short. The answer must exist first, so the lab always handles
   * the request.
   */
  record Truncate() implements Fault {
    @Override
    public boolean afterHandling() {
      return true;
    }

    @Override
    public Truncate onceHandled() {
      return this;
    }

    @Override
    public Truncate beforeHandling() {
      return this;
    }

    @Override
    public String baseKind() {
      return "truncate";
    }

    @Override
    public String kind() {
      return baseKind();
    }
  }

  /**
   * Answers 200 {@code application/json} of the wrong shape: an object where the API promises an
   * array (search, agents, a queue's agents or jobs), {@code []} everywhere else, a result or a
   * submission included.
   */
  record BadJson(boolean afterHandling) implements Fault {
    @Override
    public BadJson onceHandled() {
      return new BadJson(true);
    }

    @Override
    public BadJson beforeHandling() {
      return new BadJson(false);
    }

    @Override
    public String baseKind() {
      return "badjson";
    }
  }
}
