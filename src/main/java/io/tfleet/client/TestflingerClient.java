package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
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

  /** Large archives over slow links: the request timeout counts from the start of the upload. */
  private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

  private final Transport transport;
  private final AuthApi auth = new AuthApi(this);

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
    this.transport =
        new Transport(stripTrailingSlash(server), requestTimeout, tokens, trace, network, notices);
    transport.auth(auth);
  }

  /** Ends the shared HTTP client's selector thread, for a process about to exit. */
  public static void closeForExit() {
    Transport.closeForExit();
  }

  /**
   * Runs one call and judges how it went, the one place that does: its answer, or a {@link Problem}
   * saying whether it may pass, the request was refused, our credentials were, or the server was
   * never reached at all (before any answer from it, a connection refused is most likely a wrong
   * URL; after one, an outage to wait out). An interrupt stays an interrupt.
   */
  public <T> Reply<T> call(Reply.Call<T> call) throws InterruptedException {
    try {
      return Reply.of(call.run());
    } catch (IOException | ApiException e) {
      return Reply.failed(judge(e));
    }
  }

  /**
   * How a call that failed with {@code e} is judged (see {@link #call}); an interrupt is rethrown.
   */
  public Problem judge(Exception e) throws InterruptedException {
    if (e instanceof InterruptedIOException) {
      throw new InterruptedException(e.getMessage());
    }
    if (e instanceof ApiException api) {
      return Problem.answered(api);
    }
    if (e instanceof BadAnswerException) {
      return new Problem(Problem.Kind.BAD_ANSWER, e.getMessage(), 200, null);
    }
    if (e instanceof ServerUnreachableException && !serverSeen()) {
      return new Problem(Problem.Kind.UNREACHABLE, e.getMessage(), 0, null);
    }
    return new Problem(Problem.Kind.PASSING, e.getMessage(), 0, null);
  }

  /** Whether any request of this client got an answer from the server (any status). */
  public boolean serverSeen() {
    return transport.serverSeen();
  }

  /** The server's base URL, without a trailing slash. */
  public URI server() {
    return transport.server();
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
      throw new BadAnswerException(
          BadAnswerException.Kind.WRONG_SHAPE,
          "cannot submit a job: the server's answer has no job id");
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
   * Reads the job's result as it arrives, in bounded memory whatever its size: every byte to {@code
   * rawCopy} (so a file can be the server's exact answer), the phase outputs ({@code test_output},
   * {@code setup_output}, ...) to {@code sink}, and the rest as the returned object, which leaves
   * the outputs out. Empty when the server has no such job. Safe to retry: a read, whose copies the
   * caller throws away when it fails.
   */
  public Optional<ObjectNode> result(String id, ResultSink sink, OutputStream rawCopy)
      throws IOException, ApiException {
    String what = "get the result of job " + id;
    return transport.sendStreaming(
        request("/v1/result/" + id).GET(),
        what,
        new Transport.StreamReader<>() {
          @Override
          public Optional<ObjectNode> read(InputStream body) throws IOException {
            try {
              return Optional.of(
                  StreamingJson.readObject(body, sink, StreamingJson.OUTPUT_FIELDS, rawCopy));
            } catch (BadAnswerException e) {
              throw Messages.about(what, e);
            }
          }

          @Override
          public Optional<ObjectNode> noContent(int status) {
            // 204: the server has nothing for that id (never existed, or expired after 7 days).
            return Optional.empty();
          }
        });
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
          transport.send(request("/v1/result/" + jobId + "/artifact").GET(), what, toFile);
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
    return Agent.listOf(Messages.json(response, what));
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
      throw new BadAnswerException(
          BadAnswerException.Kind.WRONG_SHAPE,
          "cannot " + what + ": the server's answer is JSON but not a list");
    }
    return Agent.listOf(answer);
  }

  /** A search hit: a job id and its state. */
  public record JobSummary(String jobId, String state) {}

  /**
   * {@code GET path} (with its query) with the caller's token, judged like every call here; for the
   * other classes of this package that add calls of the API ({@link WatchApi}).
   */
  HttpResponse<String> get(String path, String what) throws IOException, ApiException {
    return transport.send(transport.request(path).GET(), what);
  }

  /** How this client's requests travel; for the other classes of this package. */
  Transport transport() {
    return transport;
  }

  private HttpRequest.Builder request(String path) {
    return transport.request(path);
  }

  /** The login endpoints of the same server, over the same connections. */
  public AuthApi auth() {
    return auth;
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, String what)
      throws IOException, ApiException {
    return transport.send(builder, what);
  }

  /**
   * Requests sent so far by kind, such as {@code GET /v1/result/{id}}; for benchmarks and tests.
   */
  public Map<String, Long> requestCounts() {
    return transport.requestCounts();
  }

  private static Optional<ObjectNode> optionalObject(HttpResponse<String> response, String what)
      throws BadAnswerException {
    // 204: the server has nothing for that id (never existed, or expired after 7 days).
    if (response.statusCode() == 204) {
      return Optional.empty();
    }
    JsonNode node = Messages.json(response, what);
    if (!(node instanceof ObjectNode object)) {
      throw new BadAnswerException(
          BadAnswerException.Kind.WRONG_SHAPE,
          "cannot " + what + ": the server's answer is JSON but not an object");
    }
    return Optional.of(object);
  }

  private static URI stripTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }
}
