package io.tfleet.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How a request reaches the server and its answer comes back: the shared HTTP client, the bearer
 * token (renewed once on a 401), redirects, the trace, request counts, and whether the server was
 * ever seen. The API's calls are {@link TestflingerClient}'s.
 */
final class Transport {
  /**
   * A queue's own paths, counted as one kind of request whatever the queue; {@code wait_times} is
   * no queue but a call of its own.
   */
  private static final Pattern QUEUE_PATH =
      Pattern.compile("^(/v1/queues/)(?!wait_times$)[^/]+(/.*)?$");

  private static final Pattern JOB_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final Pattern DEVICE_POLL = Pattern.compile("(/oidc/auth-poll/)[^/?]+");

  private final URI server;
  private final Duration requestTimeout;
  private final TokenSource tokens;
  private final Consumer<String> trace;
  private final NetworkSettings network;
  private final CompletableFuture<HttpClient> http;
  private final Redirects redirects;
  private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
  private final AtomicBoolean serverSeen = new AtomicBoolean();
  private AuthApi auth;

  Transport(
      URI server,
      Duration requestTimeout,
      TokenSource tokens,
      Consumer<String> trace,
      NetworkSettings network,
      Consumer<String> notices) {
    this.server = server;
    this.requestTimeout = requestTimeout;
    this.tokens = tokens;
    this.trace = trace;
    this.network = network;
    this.redirects = new Redirects(notices);
    this.http = HttpClients.prepare(network);
  }

  /** The login calls that renewing a token needs; set once, by the client that owns this. */
  void auth(AuthApi auth) {
    this.auth = auth;
  }

  URI server() {
    return server;
  }

  /** Whether any request got an answer from the server itself (any status; not a proxy's 407). */
  boolean serverSeen() {
    return serverSeen.get();
  }

  private HttpClient http() throws IOException {
    try {
      return http.join();
    } catch (CompletionException e) {
      // Nothing could be sent: not worth trying again, as the same settings fail the same way.
      if (e.getCause() instanceof UncheckedIOException bundle) {
        throw new ServerUnreachableException(
            "cannot set up TLS: " + bundle.getCause().getMessage(), bundle.getCause());
      }
      throw new IOException("cannot set up the HTTP client: " + e.getCause().getMessage(), e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server + path))
        .timeout(requestTimeout)
        .header("Accept", "application/json");
  }

  /** Sends with the token source's bearer token, if any; the body as text. */
  HttpResponse<String> send(HttpRequest.Builder builder, String what)
      throws IOException, ApiException {
    return send(builder, what, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * Sends a request with the token source's bearer token, if any. A 401 means the token expired or
   * the server wants one: the call is replayed once with the token the source renews, if it has
   * one. An error status becomes an {@link ApiException}; {@code body} must then give text.
   */
  HttpResponse<String> send(
      HttpRequest.Builder builder, String what, HttpResponse.BodyHandler<String> body)
      throws IOException, ApiException {
    return check(withToken(builder, what, body), what);
  }

  /** The exchange with the current token, replayed once with a renewed one after a 401. */
  private <B> HttpResponse<B> withToken(
      HttpRequest.Builder builder, String what, HttpResponse.BodyHandler<B> body)
      throws IOException, ApiException {
    String used = tokenFor(what, /* rejected= */ null, /* renew= */ false);
    HttpResponse<B> response = exchange(builder, used, what, body);
    if (response.statusCode() == 401) {
      String fresh = tokenFor(what, used, /* renew= */ true);
      if (fresh != null) {
        response = exchange(builder, fresh, what, body);
      }
    }
    return response;
  }

  /**
   * Sends a request whose successful answer is read as a stream by {@code reader} while it arrives;
   * an error answer is read as text for its message. The token is renewed once on a 401, as {@link
   * #send} does.
   */
  <T> T sendStreaming(HttpRequest.Builder builder, String what, StreamReader<T> reader)
      throws IOException, ApiException {
    HttpResponse.BodyHandler<Object> body =
        info ->
            info.statusCode() == 200
                ? HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofInputStream(), in -> (Object) in)
                : HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                    text -> (Object) text);
    HttpResponse<Object> response = withToken(builder, what, body);
    if (response.body() instanceof java.io.InputStream in) {
      try (in) {
        return reader.read(in);
      }
    }
    String text = (String) response.body();
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return reader.noContent(status);
    }
    throw new ApiException(
        status, "cannot " + what + ": " + Messages.explain(status, text), retryAfter(response));
  }

  /** Reads a successful answer as it arrives. */
  interface StreamReader<T> {
    T read(java.io.InputStream body) throws IOException, ApiException;

    /** The answer to a success without a body to stream (a 204). */
    T noContent(int status) throws IOException, ApiException;
  }

  private String tokenFor(String what, String rejected, boolean renew)
      throws IOException, ApiException {
    try {
      return renew ? tokens.renew(auth, rejected) : tokens.current(auth);
    } catch (ApiException e) {
      throw new ApiException(
          e.status(), "cannot " + what + ": " + e.getMessage(), e.retryAfter().orElse(null));
    }
  }

  HttpResponse<String> check(HttpResponse<String> response, String what) throws ApiException {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    throw new ApiException(
        status,
        "cannot " + what + ": " + Messages.explain(status, response.body()),
        retryAfter(response));
  }

  /** The {@code Retry-After} header in seconds (the HTTP-date form is rare enough to ignore). */
  static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.strip().matches("\\d{1,6}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.strip())))
        .orElse(null);
  }

  HttpResponse<String> exchange(HttpRequest.Builder builder, String bearer, String what)
      throws IOException, ApiException {
    return exchange(
        builder, bearer, what, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest.Builder builder, String bearer, String what, HttpResponse.BodyHandler<T> body)
      throws IOException, ApiException {
    if (bearer != null) {
      builder.setHeader("Authorization", "Bearer " + bearer);
    }
    HttpRequest request = builder.build();
    requestCounts.computeIfAbsent(kind(request), k -> new LongAdder()).increment();
    long started = System.nanoTime();
    HttpClient client = http();
    HttpRequest[] sent = {request};
    HttpResponse<T> response;
    try {
      response = client.send(request, body);
      trace(request, response.statusCode() + "", started);
      response =
          redirects.follow(
              server,
              request,
              response,
              what,
              next -> {
                sent[0] = next;
                long again = System.nanoTime();
                HttpResponse<T> answer = client.send(next, body);
                trace(next, answer.statusCode() + "", again);
                return answer;
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while trying to " + what);
    } catch (IOException e) {
      URI target = sent[0].uri();
      IOException explained =
          TransportErrors.explain(
              e,
              server,
              target,
              network.proxies().route(target),
              what,
              sent[0].timeout().orElse(requestTimeout),
              network.trustSource());
      trace(sent[0], "failed: " + explained.getMessage(), started);
      throw explained;
    }
    if (response.statusCode() == 407) {
      // The proxy's answer, not the server's: nothing reached the server.
      throw TransportErrors.proxyAnswered(
          server, network.proxies().route(response.uri()), response.uri(), 407);
    }
    serverSeen.set(true);
    return response;
  }

  /** Requests sent so far by kind, such as {@code GET /v1/result/{id}}. */
  Map<String, Long> requestCounts() {
    Map<String, Long> counts = new TreeMap<>();
    requestCounts.forEach((kind, n) -> counts.put(kind, n.sum()));
    return counts;
  }

  private static String kind(HttpRequest request) {
    String path = JOB_ID.matcher(request.uri().getPath()).replaceAll("{id}");
    return request.method() + " " + QUEUE_PATH.matcher(path).replaceFirst("$1{queue}$2");
  }

  private void trace(HttpRequest request, String outcome, long startedNanos) {
    long millis = (System.nanoTime() - startedNanos) / 1_000_000;
    Optional<String> auth =
        request.headers().firstValue("Authorization").map(v -> v.replaceFirst(" .*", " ****"));
    // A device login's request id would let a reader of the trace collect the tokens.
    String uri = DEVICE_POLL.matcher(request.uri().toString()).replaceFirst("$1****");
    trace.accept(
        request.method()
            + " "
            + uri
            + " -> "
            + outcome
            + " ("
            + millis
            + " ms)"
            + auth.map(a -> " [Authorization: " + a + "]").orElse(""));
  }

  /**
   * Ends the shared HTTP client's selector thread, for a process about to exit. At exit the JVM
   * waits up to 0.3 s for every thread in native code, and that thread always is, waiting on its
   * sockets; interrupted, it closes its connections and ends within milliseconds. It is found by
   * the name the JDK gives it: should that name change, exiting only takes longer again.
   */
  static void closeForExit() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int count = root.enumerate(threads, /* recurse= */ true);
    for (int i = 0; i < count; i++) {
      Thread thread = threads[i];
      if (thread.getName().startsWith("HttpClient-")
          && thread.getName().endsWith("-SelectorManager")) {
        thread.interrupt();
        try {
          thread.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
