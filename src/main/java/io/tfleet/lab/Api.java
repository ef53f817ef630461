package io.tfleet.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Testflinger v1 endpoints, answering with the real server's status codes and shapes. */
final class Api implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(Api.class.getName());

  /** Job definitions are small; this only stops a runaway client from filling memory. */
  private static final int MAX_JSON_BYTES = 8 * 1024 * 1024;

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The states search accepts; upstream's list lacks waiting, running and complete. */
  private static final List<String> SEARCH_STATES =
      List.of(
          "setup",
          "provision",
          "firmware_update",
          "test",
          "allocate",
          "allocated",
          "reserve",
          "cleanup",
          "cancelled",
          "completed",
          "active");

  /** What Flask sends with a handler's plain string, and so what upstream's text answers carry. */
  private static final String TEXT = "text/html; charset=utf-8";
  private static final String JSON = "application/json";

  record Response(int status, String contentType, byte[] body, Map<String, String> headers) {}

  private record Request(
      HttpExchange exchange, List<String> params, Map<String, List<String>> query) {
    String param(int i) {
      return params.get(i);
    }

    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    String first(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  @FunctionalInterface
  private interface Endpoint {
    Response handle(Request request) throws IOException;
  }

  private record Route(String method, String template, Pattern pattern, Endpoint endpoint) {}

  /** A request matched to its route, or to the answer for a path or method no route has. */
  private record Match(String route, long count, Endpoint endpoint, Request request, Response none) {}

  /** Runs a task after a delay without holding an HTTP thread while it waits. */
  interface Delayer {
    /** Runs the task after the delay; false when the lab is closing and it never will. */
    boolean later(Duration delay, Runnable task);
  }

  private final JobStore store;
  private final Machines machines;
  private final Tokens tokens;
  private final ObjectMapper json;
  private final Path uploads;
  private final FaultPlan faults;
  private final Delayer delayer;
  private final long restartAfter;
  private final Runnable restart;
  private final ConcurrentHashMap<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final List<Route> routes = new ArrayList<>();

  /**
   * @param restartAfter the request after which {@code restart} runs, once; 0 means never
   * @param restart drops every connection; runs on an HTTP thread once that request is answered
   */
  Api(
      JobStore store,
      Machines machines,
      Tokens tokens,
      ObjectMapper json,
      Path uploads,
      FaultPlan faults,
      Delayer delayer,
      long restartAfter,
      Runnable restart) {
    this.store = store;
    this.machines = machines;
    this.tokens = tokens;
    this.json = json;
    this.uploads = uploads;
    this.faults = faults;
    this.delayer = delayer;
    this.restartAfter = restartAfter;
    this.restart = restart;
    route("GET", "/v1/", r -> text(200, "Testflinger Server"));
    route("POST", "/v1/job", this::submitJob);
    // Before /v1/job/{id}, which would otherwise take "search" for an id.
    route("GET", "/v1/job/search", this::searchJobs);
    route("GET", "/v1/job/{id}", this::getJob);
    route("POST", "/v1/job/{id}/attachments", this::postAttachments);
    route("POST", "/v1/job/{id}/action", this::postAction);
    route("GET", "/v1/job/{id}/position", this::getPosition);
    route("GET", "/v1/result/{id}", this::getResult);
    route("GET", "/v1/result/{id}/log/{type}", this::getLog);
    route("GET", "/v1/agents/queues", this::getQueues);
    route("GET", "/v1/agents/data", this::getAgents);
    route("GET", "/v1/agents/data/{name}", this::getAgent);
    route("GET", "/v1/queues/{queue}/agents", this::getQueueAgents);
    route("GET", "/v1/queues/{queue}/jobs", this::getQueueJobs);
    route("POST", "/v1/oauth2/token", this::postToken);
    route("POST", "/v1/oauth2/refresh", this::postRefresh);
  }

  private void route(String method, String template, Endpoint endpoint) {
    Pattern pattern =
        Pattern.compile(Pattern.quote(template).replaceAll("\\{[a-z]+}", "\\\\E([^/]+)\\\\Q"));
    routes.add(new Route(method, template, pattern, endpoint));
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
    boolean last = total.incrementAndGet() == restartAfter;
    Match match;
    Fault fault;
    try {
      match = match(exchange);
      fault = faults.faultFor(match.route(), match.count()).orElse(null);
    } catch (RuntimeException e) {
      // A plan that failed, or a path the JDK server passed but URLDecoder refuses.
      LOG.log(System.Logger.Level.ERROR, "tfleet-lab: request failed", e);
      finish(exchange, message(500, "Internal Server Error"), last);
      return;
    }
    if (fault == null) {
      finish(exchange, answer(match), last);
      return;
    }
    injected.computeIfAbsent(fault.kind(), k -> new AtomicLong()).incrementAndGet();
    Response handled = fault.afterHandling() ? answer(match) : null;
    if (fault instanceof Fault.Status status) {
      finish(exchange, faultAnswer(status), last);
    } else if (fault instanceof Fault.Reset) {
      drop(exchange, last);
    } else {
      Runnable answer =
          () -> finish(exchange, handled != null ? handled : answer(match), last);
      if (!delayer.later(((Fault.Slow) fault).delay(), answer)) {
        drop(exchange, /* last= */ false);
      }
    }
  }

  private Match match(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    boolean pathKnown = false;
    Set<String> allowed = new HashSet<>();
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      allowed.add(route.method());
      if (!route.method().equals(method)) {
        continue;
      }
      List<String> params = new ArrayList<>();
      for (int i = 1; i <= m.groupCount(); i++) {
        params.add(decodePath(m.group(i)));
      }
      String key = method + " " + route.template();
      return new Match(
          key,
          count(key),
          route.endpoint(),
          new Request(exchange, params, query(exchange)),
          /* none= */ null);
    }
    String key = method + " (unknown)";
    Response none;
    if (pathKnown) {
      none = message(405, "Method Not Allowed");
      none.headers().put("Allow", String.join(", ", allowed));
    } else {
      // Upstream's handler for unknown paths answers Werkzeug's text, not JSON.
      none =
          text(
              404,
              "Not found: 404 Not Found: The requested URL was not found on the server. If you"
                  + " entered the URL manually please check your spelling and try again.\n");
    }
    return new Match(key, count(key), /* endpoint= */ null, /* request= */ null, none);
  }

  private long count(String key) {
    return requests.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** Handles the request: the lab's real answer. */
  private Response answer(Match match) {
    if (match.endpoint() == null) {
      return match.none();
    }
    try {
      Response denied = checkBearer(match);
      return denied != null ? denied : match.endpoint().handle(match.request());
    } catch (RuntimeException | IOException e) {
      LOG.log(System.Logger.Level.ERROR, "tfleet-lab: request failed", e);
      return message(500, "Internal Server Error");
    }
  }

  /**
   * A server with OIDC checks a Bearer token on any call that carries one, reads included, so a
   * token can expire in the middle of a monitoring run. Token calls carry Basic credentials or
   * none, and anonymous labs ignore tokens as a server without OIDC does.
   */
  private Response checkBearer(Match match) {
    if (!tokens.required() || FaultPlans.isTokenRoute(match.route())) {
      return null;
    }
    String authorization = match.request().header("Authorization");
    if (tokens.check(authorization) == Tokens.Check.MISSING) {
      return null;
    }
    return authorize(match.request());
  }

  private Response faultAnswer(Fault.Status status) {
    int code = status.code();
    Response r =
        code == 204 || code == 304
            ? empty(code)
            : message(code, "Fault injected by tfleet lab: " + code);
    if (status.retryAfter()) {
      r.headers().put("Retry-After", "1");
    }
    return r;
  }

  /** Sends the answer and ends the exchange; the last request before a restart then restarts. */
  private void finish(HttpExchange exchange, Response response, boolean last) {
    try {
      send(exchange, response);
    } catch (IOException e) {
      // The client left, or a restart or close() cut the connection; nobody is left to tell.
      LOG.log(System.Logger.Level.DEBUG, "tfleet-lab: cannot answer", e);
    } finally {
      exchange.close();
    }
    if (last) {
      restart.run();
    }
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
    if (last) {
      restart.run();
    }
  }

  // ---- jobs

  private Response submitJob(Request r) throws IOException {
    Response denied = authorize(r);
    if (denied != null) {
      return denied;
    }
    byte[] body = r.exchange().getRequestBody().readNBytes(MAX_JSON_BYTES + 1);
    if (body.length > MAX_JSON_BYTES) {
      return message(413, "Request body too large");
    }
    JsonNode node = parse(body);
    if (node == null) {
      // Flask sees no JSON at all, so the schema finds the required field missing.
      return validation("json", Map.of("job_queue", List.of("Missing data for required field.")));
    }
    if (!node.isObject()) {
      return validation("json", Map.of("_schema", List.of("Invalid input type.")));
    }
    ObjectNode job = (ObjectNode) node;
    Map<String, Object> errors = new LinkedHashMap<>();
    JsonNode queue = job.get("job_queue");
    if (queue == null) {
      errors.put("job_queue", List.of("Missing data for required field."));
    } else if (queue.isNull()) {
      errors.put("job_queue", List.of("Field may not be null."));
    } else if (!queue.isTextual()) {
      errors.put("job_queue", List.of("Not a valid string."));
    } else if (queue.asText().isEmpty()) {
      errors.put("job_queue", List.of("Shorter than minimum length 1."));
    }
    JsonNode priority = job.get("job_priority");
    if (priority != null && !(priority.isIntegralNumber() && priority.canConvertToInt())) {
      errors.put("job_priority", List.of("Not a valid integer."));
    }
    List<String> tags = new ArrayList<>();
    JsonNode tagsNode = job.get("tags");
    if (tagsNode != null) {
      if (!tagsNode.isArray()) {
        errors.put("tags", List.of("Not a valid list."));
      } else {
        Map<String, Object> itemErrors = new LinkedHashMap<>();
        for (int i = 0; i < tagsNode.size(); i++) {
          if (tagsNode.get(i).isTextual()) {
            tags.add(tagsNode.get(i).asText());
          } else {
            itemErrors.put(String.valueOf(i), List.of("Not a valid string."));
          }
        }
        if (!itemErrors.isEmpty()) {
          errors.put("tags", itemErrors);
        }
      }
    }
    String testCmds = null;
    JsonNode testData = job.get("test_data");
    if (testData != null && !testData.isNull()) {
      if (!testData.isObject()) {
        errors.put("test_data", Map.of("_schema", List.of("Invalid input type.")));
      } else {
        JsonNode cmds = testData.get("test_cmds");
        if (cmds != null && !cmds.isNull()) {
          testCmds = commands(cmds);
          if (testCmds == null) {
            errors.put("test_data", Map.of("test_cmds", List.of("Not a valid string.")));
          }
        }
      }
    }
    JsonNode jobId = job.get("job_id");
    if (jobId != null && !jobId.isNull() && !jobId.isTextual()) {
      errors.put("job_id", List.of("Not a valid string."));
    }
    if (!errors.isEmpty()) {
      return validation("json", errors);
    }
    String id;
    if (jobId == null || jobId.isNull()) {
      id = UUID.randomUUID().toString();
    } else if (UUID_TEXT.matcher(jobId.asText()).matches()) {
      id = jobId.asText().toLowerCase(Locale.ROOT);
    } else {
      return invalidJobId();
    }
    ObjectNode definition = job.deepCopy();
    definition.remove("job_id");
    LabJob labJob =
        new LabJob(
            id,
            store.nextSeq(),
            queue.asText(),
            priority == null ? 0 : priority.asInt(),
            Set.copyOf(tags),
            Instant.now(),
            definition,
            testCmds,
            hasAttachments(job));
    // Upstream does not dedupe a client's job_id: a second post is a second job. The id then
    // answers for the newest one, and an older one that had not started will never run.
    LabJob replaced = store.add(labJob);
    if (replaced != null) {
      machines.drop(replaced);
    }
    machines.submit(labJob);
    ObjectNode answer = json.createObjectNode().put("job_id", id);
    return json(200, answer);
  }

  /** test_cmds is a string upstream; a list of lines is accepted too, joined by newlines. */
  private static String commands(JsonNode cmds) {
    if (cmds.isTextual()) {
      return cmds.asText();
    }
    if (!cmds.isArray()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode line : cmds) {
      if (!line.isTextual()) {
        return null;
      }
      lines.add(line.asText());
    }
    return String.join("\n", lines);
  }

  /** As upstream: any {@code <phase>_data} with a non-empty attachments list. */
  private static boolean hasAttachments(ObjectNode job) {
    for (Map.Entry<String, JsonNode> field : job.properties()) {
      if (field.getKey().endsWith("_data") && field.getValue().isObject()) {
        JsonNode attachments = field.getValue().get("attachments");
        if (attachments != null && attachments.isArray() && !attachments.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private Response getJob(Request r) {
    String id = jobId(r.param(0));
    if (id == null) {
      return invalidJobId();
    }
    LabJob job = store.get(id);
    return job == null ? empty() : json(200, job.definitionView());
  }

  private Response postAttachments(Request r) throws IOException {
    Response denied = authorize(r);
    if (denied != null) {
      return denied;
    }
    String id = jobId(r.param(0));
    if (id == null) {
      return invalidJobId();
    }
    LabJob job = store.get(id);
    if (job == null || !job.attachmentsExpected) {
      return text(422, "Job " + id + " is not valid\n");
    }
    if (job.attachmentsReceived()) {
      return text(200, "OK");
    }
    String boundary = Multipart.boundary(r.header("Content-Type"));
    if (boundary == null) {
      return message(400, "Expected a multipart/form-data body with a boundary");
    }
    Files.createDirectories(uploads);
    Path upload = Files.createTempFile(uploads, "attachments-", ".tar.gz");
    try {
      // Streamed to disk: archives can be far larger than we want on the heap.
      if (!Multipart.copyField(r.exchange().getRequestBody(), boundary, "file", upload)) {
        return message(400, "The form has no file field");
      }
      synchronized (job.uploadLock) {
        if (!job.attachmentsReceived()) {
          Path dest = machines.workDir(job).resolve("attachments");
          try {
            Archives.unpack(upload, dest);
          } catch (Archives.BadArchiveException e) {
            // Upstream stores any blob and its agent fails later; refusing it here tells the
            // client at once, and the job keeps waiting for a good archive.
            Scratch.deleteTree(dest);
            return message(400, e.getMessage());
          }
          job.attachmentsArrived();
        }
      }
      machines.ready(job);
      return text(200, "OK");
    } catch (Multipart.MalformedException e) {
      return message(400, e.getMessage());
    } finally {
      Files.deleteIfExists(upload);
    }
  }

  private Response postAction(Request r) throws IOException {
    Response denied = authorize(r);
    if (denied != null) {
      return denied;
    }
    String id = jobId(r.param(0));
    if (id == null) {
      return text(400, "Invalid job id");
    }
    JsonNode body = parse(r.exchange().getRequestBody().readNBytes(MAX_JSON_BYTES));
    JsonNode action = body == null || !body.isObject() ? null : body.get("action");
    if (action == null) {
      return validation("json", Map.of("action", List.of("Missing data for required field.")));
    }
    if (!"cancel".equals(action.asText(null))) {
      return validation("json", Map.of("action", List.of("Must be one of: cancel.")));
    }
    LabJob job = store.get(id);
    LabJob.Cancel outcome = job == null ? LabJob.Cancel.REFUSED : job.cancel();
    switch (outcome) {
      case WAS_WAITING:
        machines.cancelled(job);
        return text(200, "OK");
      case WAS_RUNNING:
        return text(200, "OK");
      default:
        return text(400, "The job is already completed or cancelled");
    }
  }

  private Response getPosition(Request r) {
    String id = jobId(r.param(0));
    if (id == null) {
      return invalidJobId();
    }
    LabJob job = store.get(id);
    int position = job == null ? -1 : machines.position(job);
    if (position < 0) {
      return text(410, "Job not found or already started");
    }
    return text(200, String.valueOf(position));
  }

  private Response searchJobs(Request r) {
    List<String> tags = r.query().getOrDefault("tags", List.of());
    String match = r.first("match") == null ? "any" : r.first("match");
    List<String> states = r.query().getOrDefault("state", List.of());
    Map<String, Object> errors = new LinkedHashMap<>();
    if (!match.equals("any") && !match.equals("all")) {
      errors.put("match", List.of("Must be one of: any, all."));
    }
    Map<String, Object> stateErrors = new LinkedHashMap<>();
    for (int i = 0; i < states.size(); i++) {
      if (!SEARCH_STATES.contains(states.get(i))) {
        stateErrors.put(
            String.valueOf(i), List.of("Must be one of: " + String.join(", ", SEARCH_STATES) + "."));
      }
    }
    if (!stateErrors.isEmpty()) {
      errors.put("state", stateErrors);
    }
    if (!errors.isEmpty()) {
      return validation("query", errors);
    }
    boolean all = match.equals("all");
    ArrayNode found = json.createArrayNode();
    for (LabJob job : store.all()) {
      if (!tags.isEmpty()
          && (all ? !job.tags.containsAll(tags) : tags.stream().noneMatch(job.tags::contains))) {
        continue;
      }
      String state = job.state();
      if (!states.isEmpty()
          && !states.contains(state)
          && !(states.contains("active") && !LabJob.TERMINAL.contains(state))) {
        continue;
      }
      found.add(job.summary());
    }
    // A bare array, as the real handler answers, whatever its OpenAPI spec says.
    return json(200, found);
  }

  // ---- results

  private Response getResult(Request r) {
    String id = jobId(r.param(0));
    if (id == null) {
      return invalidJobId();
    }
    LabJob job = store.get(id);
    return job == null ? empty() : json(200, job.result());
  }

  private Response getLog(Request r) {
    String id = jobId(r.param(0));
    if (id == null) {
      return invalidJobId();
    }
    String type = r.param(1);
    if (!type.equals("output") && !type.equals("serial")) {
      return message(404, "Not Found");
    }
    Map<String, Object> errors = new LinkedHashMap<>();
    int startFragment = 0;
    String start = r.first("start_fragment");
    if (start != null) {
      try {
        startFragment = Integer.parseInt(start);
        if (startFragment < 0) {
          errors.put("start_fragment", List.of("Must be greater than or equal to 0."));
        }
      } catch (NumberFormatException e) {
        errors.put("start_fragment", List.of("Not a valid integer."));
      }
    }
    Instant startTimestamp = null;
    String timestamp = r.first("start_timestamp");
    if (timestamp != null) {
      startTimestamp = parseTimestamp(timestamp);
      if (startTimestamp == null) {
        errors.put("start_timestamp", List.of("Not a valid datetime."));
      }
    }
    String phase = r.first("phase");
    if (phase != null && !LabJob.ALL_PHASES.contains(phase)) {
      errors.put(
          "phase", List.of("Must be one of: " + String.join(", ", LabJob.ALL_PHASES) + "."));
    }
    if (!errors.isEmpty()) {
      return validation("query", errors);
    }
    LabJob job = store.get(id);
    if (job == null) {
      return empty();
    }
    ObjectNode answer = json.createObjectNode();
    ObjectNode phases = answer.putObject(type);
    Map<String, StringBuilder> text = new LinkedHashMap<>();
    Map<String, Integer> last = new LinkedHashMap<>();
    if (type.equals("output")) {
      // The lab has no serial console, so serial logs are always empty.
      for (LabJob.Fragment f : job.fragments(startFragment, startTimestamp, phase)) {
        text.computeIfAbsent(f.phase(), p -> new StringBuilder()).append(f.text());
        last.put(f.phase(), f.number());
      }
    }
    // Upstream lists every phase asked for, an empty one with fragment number -1.
    for (String p : phase == null ? LabJob.ALL_PHASES : List.of(phase)) {
      ObjectNode item = phases.putObject(p);
      item.put("last_fragment_number", last.getOrDefault(p, -1));
      item.put("log_data", text.getOrDefault(p, new StringBuilder()).toString());
    }
    return json(200, answer);
  }

  private static Instant parseTimestamp(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        // Python's isoformat() without an offset; the server treats it as UTC.
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  // ---- queues and agents

  private Response getQueues(Request r) {
    ObjectNode answer = json.createObjectNode();
    for (Machines.Slot slot : machines.servedQueues()) {
      answer.put(slot.name, "Simulated machine " + slot.agent.name);
    }
    return json(200, answer);
  }

  private Response getQueueAgents(Request r) {
    String queue = r.param(0);
    Machines.Agent agent = machines.agent(queue);
    if (agent == null) {
      return message(404, "Queue '" + queue + "' does not exist.");
    }
    ArrayNode agents = json.createArrayNode();
    agents.add(AgentData.ofQueue(Machines.view(machines.slot(queue))));
    return json(200, agents);
  }

  private Response getAgents(Request r) {
    ArrayNode agents = json.createArrayNode();
    for (Machines.AgentView agent : machines.agents()) {
      agents.add(AgentData.full(agent));
    }
    return json(200, agents);
  }

  private Response getAgent(Request r) {
    Machines.AgentView agent = machines.agentNamed(r.param(0));
    if (agent == null) {
      return message(404, "Agent " + r.param(0) + " does not exist.");
    }
    return json(200, AgentData.full(agent));
  }

  private Response getQueueJobs(Request r) {
    String queue = r.param(0);
    ArrayNode jobs = json.createArrayNode();
    // Every job ever submitted to the queue, finished ones too, as upstream lists them.
    for (LabJob job : store.all()) {
      if (job.queue.equals(queue)) {
        jobs.add(job.summary().put("job_queue", job.queue));
      }
    }
    return jobs.isEmpty() ? empty() : json(200, jobs);
  }

  // ---- authentication

  private Response postToken(Request r) {
    // A server without OIDC has no client table, so every credential is unknown: 401.
    if (r.header("Authorization") == null) {
      return text(401, "No authorization header specified");
    }
    Tokens.Issued issued = tokens.issue(r.header("Authorization"));
    if (issued == null) {
      return text(401, "Invalid client id or client key");
    }
    ObjectNode answer = json.createObjectNode();
    answer.put("access_token", issued.accessToken());
    answer.put("token_type", "Bearer");
    answer.put("expires_in", issued.expiresInSeconds());
    answer.put("refresh_token", issued.refreshToken());
    return json(200, answer);
  }

  private Response postRefresh(Request r) throws IOException {
    JsonNode body = parse(r.exchange().getRequestBody().readNBytes(MAX_JSON_BYTES));
    String refresh = body == null ? null : body.path("refresh_token").asText(null);
    Tokens.Issued issued = tokens.refresh(refresh);
    if (issued == null) {
      return message(400, "Invalid refresh token.");
    }
    ObjectNode answer = json.createObjectNode();
    answer.put("access_token", issued.accessToken());
    answer.put("token_type", "Bearer");
    answer.put("expires_in", issued.expiresInSeconds());
    return json(200, answer);
  }

  /**
   * Null when the call may go on; else the refusal. Anonymous labs let calls without a token
   * through, but check a token that is presented, as upstream does with OIDC off.
   */
  private Response authorize(Request r) {
    switch (tokens.check(r.header("Authorization"))) {
      case VALID:
        return null;
      case MISSING:
        return tokens.required() ? message(401, "Authentication required") : null;
      case EXPIRED:
        return message(401, "Token has expired");
      default:
        // PyJWT's bad signature is a decode error too, so upstream says the same for both.
        return message(403, "Unable to decode token");
    }
  }

  // ---- helpers

  private JsonNode parse(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** Returns the canonical (lower case) form of a UUID path segment, or null. */
  private static String jobId(String text) {
    return UUID_TEXT.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : null;
  }

  private Response invalidJobId() {
    ObjectNode body = json.createObjectNode();
    body.putObject("detail");
    body.put("message", "Invalid job_id specified");
    return json(400, body);
  }

  private Response validation(String location, Map<String, Object> fields) {
    ObjectNode body = json.createObjectNode();
    body.putObject("detail").set(location, json.valueToTree(fields));
    body.put("message", "Validation error");
    return json(422, body);
  }

  /** Upstream's abort(): a message and an empty detail. */
  private Response message(int status, String message) {
    ObjectNode body = json.createObjectNode();
    body.putObject("detail");
    body.put("message", message);
    return json(status, body);
  }

  private Response json(int status, JsonNode body) {
    try {
      return new Response(status, JSON, json.writeValueAsBytes(body), new LinkedHashMap<>());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response text(int status, String text) {
    return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  private static Response empty() {
    return empty(204);
  }

  private static Response empty(int status) {
    return new Response(status, null, new byte[0], new LinkedHashMap<>());
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    // Whatever the handler left unread must go, or the connection cannot be reused.
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    if (response.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
    }
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static Map<String, List<String>> query(HttpExchange exchange) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decodePath(String segment) {
    // In a path '+' is a plus sign, not a space.
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
