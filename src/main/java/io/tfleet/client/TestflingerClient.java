package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The Testflinger REST API v1, over one shared {@link HttpClient} so connections are reused.
 *
 * <p>Contract of every call: an {@link IOException} means the call may not have reached the server
 * (a {@link ServerUnreachableException} means it certainly did not); an answer with an error status
 * becomes an {@link ApiException} carrying that status and a one-line message.
 *
 * <p>Reads ({@link #job}, {@link #result}) are safe to retry. {@link #submit} is not: the server
 * does not deduplicate client-chosen job ids, so after an ambiguous failure check {@link #job}
 * before sending again. {@link #cancel} is safe to retry: a second cancel only answers 400.
 *
 * <p>Longer than 400 lines on purpose: each call of the API, with its retry contract, sits beside
 * the one transport method that sends it; the messages are in {@link Messages}, tokens in {@code
 * client.auth}.
 */
public final class TestflingerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JOB_ID_SHAPE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * A queue's own paths, counted as one kind of request whatever the queue; {@code wait_times} is
   * no queue but a call of its own.
   */
  private static final Pattern QUEUE_PATH =
      Pattern.compile("^(/v1/queues/)(?!wait_times$)[^/]+(/.*)?$");

  private static final Pattern DEVICE_POLL = Pattern.compile("(/oidc/auth-poll/)[^/?]+");

  /** Large archives over slow links: the request timeout counts from the start of the upload. */
  private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

  private final URI server;

  /** How requests reach the server: trusted authorities, proxies. */
  private final NetworkSettings network;

  /** The HTTP client of {@link #network}, shared by every client with the same settings. */
  private final CompletableFuture<HttpClient> http;

  private final Redirects redirects;

  private final Duration requestTimeout;
  private final TokenSource tokens;
  private final AuthApi auth = new AuthApi(this);
  private final Consumer<String> trace;
  private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();

  /** A client without credentials that traces nothing. */
  public TestflingerClient(URI server, Duration requestTimeout) {
    this(server, requestTimeout, TokenSource.NONE, line -> {});
  }

  /**
   * @param credentials null for anonymous use; else a token is fetched on first use and renewed
   *     when the server answers 401
   * @param trace receives one line per HTTP exchange, with credentials masked
   */
  public TestflingerClient(
      URI server, Duration requestTimeout, Credentials credentials, Consumer<String> trace) {
    this(
        server,
        requestTimeout,
        credentials == null ? TokenSource.NONE : new CredentialsTokens(credentials),
        trace);
  }

  /**
   * @param tokens where bearer tokens come from; asked again once when the server answers 401
   * @param trace receives one line per HTTP exchange, with credentials masked
   */
  public TestflingerClient(
      URI server, Duration requestTimeout, TokenSource tokens, Consumer<String> trace) {
    this(server, requestTimeout, tokens, trace, NetworkSettings.DIRECT, trace);
  }

  /**
   * @param tokens where bearer tokens come from; asked again once when the server answers 401
   * @param trace receives one line per HTTP exchange, with credentials masked
   * @param network the trusted authorities and proxies that requests go with
   * @param notices receives what the person should know about the route, such as a redirect to
   *     follow directly; once each
   */
  public TestflingerClient(
      URI server,
      Duration requestTimeout,
      TokenSource tokens,
      Consumer<String> trace,
      NetworkSettings network,
      Consumer<String> notices) {
    this.server = stripTrailingSlash(server);
    this.requestTimeout = requestTimeout;
    this.tokens = tokens;
    this.trace = trace;
    this.network = network;
    this.redirects = new Redirects(notices);
    this.http = HttpClients.prepare(network);
  }

  /**
   * Ends the shared HTTP client's selector thread, for a process about to exit. At exit the JVM
   * waits up to 0.3 s for every thread in native code, and that thread always is, waiting on its
   * sockets; interrupted, it closes its connections and ends within milliseconds. It is found by
   * the name the JDK gives it: should that name change, exiting only takes longer again.
   */
  public static void closeForExit() {
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

  private HttpClient http() throws IOException {
    try {
      return http.join();
    } catch (CompletionException e) {
      // Nothing could be sent: not worth trying again, as the same settings fail the same way.
      if (e.getCause() instanceof java.io.UncheckedIOException bundle) {
        throw new ServerUnreachableException(
            "cannot set up TLS: " + bundle.getCause().getMessage(), bundle.getCause());
      }
      throw new IOException("cannot set up the HTTP client: " + e.getCause().getMessage(), e);
    }
  }

  /** The server's base URL, without a trailing slash. */
  public URI server() {
    return server;
  }

  /** Whether {@code id} has the shape of a job id. */
  public static boolean isJobId(String id) {
    return id != null && JOB_ID_SHAPE.matcher(id).matches();
  }

  /** Submits a job and returns the id the server gave it (the job's own {@code job_id} if set). */
  public String submit(ObjectNode job) throws IOException, ApiException {
    HttpRequest.Builder request =
        request("/v1/job")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(job)));
    JsonNode answer = Messages.json(send(request, "submit a job"), "submit a job");
    JsonNode id = answer.get("job_id");
    if (id == null || !isJobId(id.asText())) {
      throw new ApiException(200, "server answered a submission without a job id: " + answer);
    }
    return id.asText();
  }

  /** Returns the job's definition, or empty when the server has no such job. */
  public Optional<ObjectNode> job(String id) throws IOException, ApiException {
    return optionalObject(send(request("/v1/job/" + id).GET(), "get job " + id), "get job " + id);
  }

  /**
   * Returns the job's result so far ({@code job_state} and phase outputs), or empty when unknown.
   */
  public Optional<ObjectNode> result(String id) throws IOException, ApiException {
    String what = "get the result of job " + id;
    return optionalObject(send(request("/v1/result/" + id).GET(), what), what);
  }

  /**
   * Returns each phase's serial console log ({@code GET /v1/result/<id>/log/serial}), phases with
   * nothing logged left out; empty when the job is unknown or the server serves no serial logs (an
   * older server answers 404). Safe to retry: a read.
   */
  public Map<String, String> serialLog(String id) throws IOException, ApiException {
    String what = "get the serial log of job " + id;
    Optional<ObjectNode> answer;
    try {
      answer = optionalObject(send(request("/v1/result/" + id + "/log/serial").GET(), what), what);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return Map.of();
      }
      throw e;
    }
    Map<String, String> logs = new TreeMap<>();
    answer
        .map(a -> a.path("serial"))
        .ifPresent(
            phases ->
                phases
                    .fields()
                    .forEachRemaining(
                        phase -> {
                          String text = phase.getValue().path("log_data").asText("");
                          if (!text.isEmpty()) {
                            logs.put(phase.getKey(), text);
                          }
                        }));
    return logs;
  }

  /** Asks the server to cancel a job. */
  public void cancel(String id) throws IOException, ApiException {
    HttpRequest.Builder request =
        request("/v1/job/" + id + "/action")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"cancel\"}"));
    send(request, "cancel job " + id);
  }

  /**
   * Uploads a job's attachments archive (multipart field {@code file}), streaming it from disk.
   * Safe to retry: the server answers 200 again when it already has the archive.
   */
  public void uploadAttachments(String id, Path archive) throws IOException, ApiException {
    String boundary = "tfleet-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"attachments.tar.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpRequest.Builder request =
        request("/v1/job/" + id + "/attachments")
            .timeout(UPLOAD_TIMEOUT)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofByteArray(head),
                    HttpRequest.BodyPublishers.ofFile(archive),
                    HttpRequest.BodyPublishers.ofByteArray(tail)));
    send(request, "upload the attachments of job " + id);
  }

  /**
   * Saves the job's artifact bundle (a gzipped tar, {@code GET /v1/result/<id>/artifact}) at {@code
   * target}, streamed to disk; returns false, writing nothing, when the job has none (404) or the
   * server does not know the job (204). Safe to retry: a read, and {@code target} is rewritten.
   */
  public boolean downloadArtifact(String jobId, Path target) throws IOException, ApiException {
    String what = "download the artifacts of job " + jobId;
    // Only a success goes to the file; an error's body stays text, for its message.
    HttpResponse.BodyHandler<String> toFile =
        info ->
            info.statusCode() == 200
                ? HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodyHandlers.ofFile(target).apply(info), file -> "")
                : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          send(request("/v1/result/" + jobId + "/artifact").GET(), what, toFile);
      return response.statusCode() == 200;
    } catch (ApiException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Returns the ids and states of every job carrying all of {@code tags}. */
  public List<JobSummary> search(List<String> tags, boolean activeOnly)
      throws IOException, ApiException {
    StringBuilder query = new StringBuilder("/v1/job/search?match=all");
    for (String tag : tags) {
      query.append("&tags=").append(URLEncoder.encode(tag, StandardCharsets.UTF_8));
    }
    if (activeOnly) {
      query.append("&state=active");
    }
    JsonNode answer =
        Messages.json(send(request(query.toString()).GET(), "search jobs"), "search jobs");
    // The server answers a bare array although its spec declares {"jobs": [...]}: accept both.
    JsonNode jobs = answer.isArray() ? answer : answer.path("jobs");
    List<JobSummary> found = new ArrayList<>();
    for (JsonNode job : jobs) {
      found.add(new JobSummary(job.path("job_id").asText(), job.path("job_state").asText()));
    }
    return found;
  }

  /**
   * The agents (machines) that serve {@code queue}; empty when it has none. A queue the server does
   * not know answers 404, as an {@link ApiException}.
   */
  public List<Agent> queueAgents(String queue) throws IOException, ApiException {
    String what = "list the agents of queue " + queue;
    HttpResponse<String> response =
        send(
            request(
                    "/v1/queues/"
                        + URLEncoder.encode(queue, StandardCharsets.UTF_8).replace("+", "%20")
                        + "/agents")
                .GET(),
            what);
    if (response.statusCode() == 204) {
      return List.of();
    }
    return agents(Messages.json(response, what));
  }

  /**
   * Every agent (machine) the server knows, with the queues it serves, in one request: {@code GET
   * /v1/agents/data}. A server without that call answers an {@link ApiException} (404 or 405).
   */
  public List<Agent> allAgents() throws IOException, ApiException {
    String what = "list the agents";
    HttpResponse<String> response = send(request("/v1/agents/data").GET(), what);
    if (response.statusCode() == 204) {
      return List.of();
    }
    JsonNode answer = Messages.json(response, what);
    if (!answer.isArray()) {
      throw new ApiException(response.statusCode(), "cannot " + what + ": not a JSON list");
    }
    return agents(answer);
  }

  private static List<Agent> agents(JsonNode answer) {
    List<Agent> agents = new ArrayList<>();
    for (JsonNode agent : answer) {
      List<String> queues = new ArrayList<>();
      agent.path("queues").forEach(q -> queues.add(q.asText()));
      agents.add(new Agent(agent.path("name").asText(), agent.path("state").asText(), queues));
    }
    return agents;
  }

  /**
   * An agent, its state ({@code waiting}, {@code offline}, a phase name, ...) and the queues it
   * serves.
   */
  public record Agent(String name, String state, List<String> queues) {
    public Agent {
      queues = List.copyOf(queues);
    }
  }

  /** A search hit: a job id and its state. */
  public record JobSummary(String jobId, String state) {}

  /**
   * {@code GET path} (with its query) with the caller's token, judged like every call here; for the
   * other classes of this package that add calls of the API ({@link WatchApi}).
   */
  HttpResponse<String> get(String path, String what) throws IOException, ApiException {
    return send(request(path).GET(), what);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server + path))
        .timeout(requestTimeout)
        .header("Accept", "application/json");
  }

  /** The login endpoints of the same server, over the same connections. */
  public AuthApi auth() {
    return auth;
  }

  /**
   * Sends a request with the token source's bearer token, if any. A 401 means the token expired or
   * the server wants one: the call is replayed once with the token the source renews, if it has
   * one.
   */
  private HttpResponse<String> send(HttpRequest.Builder builder, String what)
      throws IOException, ApiException {
    return send(builder, what, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(
      HttpRequest.Builder builder, String what, HttpResponse.BodyHandler<String> body)
      throws IOException, ApiException {
    String used = tokenFor(what, /* rejected= */ null, /* renew= */ false);
    HttpResponse<String> response = exchange(builder, used, what, body);
    if (response.statusCode() == 401) {
      String fresh = tokenFor(what, used, /* renew= */ true);
      if (fresh != null) {
        response = exchange(builder, fresh, what, body);
      }
    }
    return check(response, what);
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

  private HttpResponse<String> exchange(
      HttpRequest.Builder builder,
      String bearer,
      String what,
      HttpResponse.BodyHandler<String> body)
      throws IOException, ApiException {
    if (bearer != null) {
      builder.setHeader("Authorization", "Bearer " + bearer);
    }
    HttpRequest request = builder.build();
    requestCounts.computeIfAbsent(kind(request), k -> new LongAdder()).increment();
    long started = System.nanoTime();
    HttpClient http = http();
    HttpRequest[] sent = {request};
    HttpResponse<String> response;
    try {
      response = http.send(request, body);
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
                HttpResponse<String> answer = http.send(next, body);
                trace(next, answer.statusCode() + "", again);
                return answer;
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while trying to " + what);
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
    return response;
  }

  /**
   * Requests sent so far by kind, such as {@code GET /v1/result/{id}}; for benchmarks and tests.
   */
  public Map<String, Long> requestCounts() {
    Map<String, Long> counts = new TreeMap<>();
    requestCounts.forEach((kind, n) -> counts.put(kind, n.sum()));
    return counts;
  }

  private static String kind(HttpRequest request) {
    String path = JOB_ID_SHAPE.matcher(request.uri().getPath()).replaceAll("{id}");
    return request.method() + " " + QUEUE_PATH.matcher(path).replaceFirst("$1{queue}$2");
  }

  private void trace(HttpRequest request, String outcome, long startedNanos) {
    long millis = (System.nanoTime() - startedNanos) / 1_000_000;
    String auth =
        request
            .headers()
            .firstValue("Authorization")
            .map(v -> v.replaceFirst(" .*", " ****"))
            .orElse(null);
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
            + (auth == null ? "" : " [Authorization: " + auth + "]"));
  }

  private static Optional<ObjectNode> optionalObject(HttpResponse<String> response, String what)
      throws ApiException {
    // 204: the server has nothing for that id (never existed, or expired after 7 days).
    if (response.statusCode() == 204) {
      return Optional.empty();
    }
    JsonNode node = Messages.json(response, what);
    if (!(node instanceof ObjectNode object)) {
      throw new ApiException(response.statusCode(), "cannot " + what + ": not a JSON object");
    }
    return Optional.of(object);
  }

  private static URI stripTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }
}
