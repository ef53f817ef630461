package io.tfleet.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the HTTP server runs: counts the API calls the {@link Router} matched, fails those the
 * {@link FaultPlan} picks (a status, a dropped connection, a late answer, a sign-in page, an answer
 * cut short, JSON of the wrong shape), and after the N-th request drops every connection once.
 */
final class FaultLayer implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(FaultLayer.class.getName());

  /** Runs a task after a delay without holding an HTTP thread while it waits. */
  interface Delayer {
    /** Runs the task after the delay; false when the lab is closing and it never will. */
    boolean later(Duration delay, Runnable task);
  }

  private final Router router;
  private final FaultPlan faults;
  private final Delayer delayer;
  private final long restartAfter;
  private final Runnable restart;
  private final Duration latency;
  private final Duration jitter;
  private final ConcurrentHashMap<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  /**
   * @param restartAfter the request after which {@code restart} runs, once; 0 means never
   * @param restart drops every connection; runs on an HTTP thread once that request is answered
   */
  FaultLayer(
      Router router,
      FaultPlan faults,
      Delayer delayer,
      long restartAfter,
      Runnable restart,
      Duration latency,
      Duration jitter) {
    this.latency = latency;
    this.jitter = jitter;
    this.router = router;
    this.faults = faults;
    this.delayer = delayer;
    this.restartAfter = restartAfter;
    this.restart = restart;
  }

  Map<String, Long> requestCounts() {
    return snapshot(requests);
  }

  Map<String, Long> faultCounts() {
    return snapshot(injected);
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
    Map<String, Long> counts = new TreeMap<>();
    counters.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (latency.isZero()) {
      handleNow(exchange);
    } else if (!delayer.later(delay(), () -> handleNow(exchange))) {
      drop(exchange, /* last= */ false);
    }
  }

  /** The latency, give or take the jitter, uniformly. */
  private Duration delay() {
    long spread = jitter.toNanos();
    return spread == 0
        ? latency
        : latency.plusNanos(ThreadLocalRandom.current().nextLong(-spread, spread + 1));
  }

  private void handleNow(HttpExchange exchange) {
    Router.Match match;
    try {
      match = router.match(exchange);
    } catch (RuntimeException e) {
      // A path the JDK server passed but URLDecoder refuses.
      fail(exchange, e, total.incrementAndGet() == restartAfter);
      return;
    }
    if (!match.counted()) {
      finish(exchange, Router.answer(match), /* last= */ false);
      return;
    }
    boolean last = total.incrementAndGet() == restartAfter;
    Fault fault;
    try {
      fault = faults.faultFor(match.key(), count(requests, match.key())).orElse(null);
    } catch (RuntimeException e) {
      fail(exchange, e, last);
      return;
    }
    if (fault == null) {
      finish(exchange, Router.answer(match), last);
      return;
    }
    count(injected, fault.kind());
    Response handled = fault.afterHandling() ? Router.answer(match) : null;
    if (fault instanceof Fault.Status status) {
      finish(exchange, answer(status), last);
    } else if (fault instanceof Fault.Reset) {
      drop(exchange, last);
    } else if (fault instanceof Fault.Slow slow) {
      Runnable answer =
          () -> finish(exchange, handled != null ? handled : Router.answer(match), last);
      if (!delayer.later(slow.delay(), answer)) {
        drop(exchange, /* last= */ false);
      }
    } else if (fault instanceof Fault.Html) {
      finish(exchange, BadAnswers.signInPage(), last);
    } else if (fault instanceof Fault.BadJson) {
      finish(exchange, BadAnswers.wrongShape(match.key()), last);
    } else {
      finish(exchange, truncated(handled), last);
    }
  }

  private static Response truncated(Response whole) {
    try {
      return whole.truncated();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "tfleet-lab: cannot cut an answer short", e);
      return Response.message(500, "Internal Server Error");
    }
  }

  private static long count(Map<String, AtomicLong> counters, String key) {
    return counters.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  private void fail(HttpExchange exchange, RuntimeException e, boolean last) {
    LOG.log(System.Logger.Level.ERROR, "tfleet-lab: request failed", e);
    finish(exchange, Response.message(500, "Internal Server Error"), last);
  }

  private static Response answer(Fault.Status status) {
    int code = status.code();
    Response r =
        code == 204 || code == 304
            ? Response.empty(code)
            : Response.message(code, "Fault injected by tfleet lab: " + code);
    return status.retryAfter() ? r.withHeader("Retry-After", "1") : r;
  }

  /** Sends the answer and ends the exchange; the last request before a restart then restarts. */
  private void finish(HttpExchange exchange, Response response, boolean last) {
    try {
      response.send(exchange);
    } catch (IOException e) {
      // The client left, or a restart or close() cut the connection; nobody is left to tell.
      LOG.log(System.Logger.Level.DEBUG, "tfleet-lab: cannot answer", e);
    } finally {
      exchange.close();
    }
    restartIf(last);
  }

  /**
   * Closes the connection without a byte of answer: the JDK server closes the socket when an
   * exchange ends before its response headers were sent.
   */
  private void drop(HttpExchange exchange, boolean last) {
    try (InputStream in = exchange.getRequestBody()) {
      // Read first, so the client is not still writing when the socket closes under it.
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "tfleet-lab: cannot read a dropped request", e);
    } finally {
      exchange.close();
    }
    restartIf(last);
  }

  private void restartIf(boolean last) {
    if (last) {
      restart.run();
    }
  }
}
