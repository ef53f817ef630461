package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The calls for watching jobs and queues: persistent logs by phase and fragment, a waiting job's
 * place in its queue, queue wait times, the agents with their provision streaks, a queue's jobs.
 * The same contract as {@link TestflingerClient}, whose connections and tokens these share: an
 * {@link IOException} means the call may not have reached the server, an error answer is an {@link
 * ApiException}. Every call here is a read, safe to retry, and consumes nothing another client
 * would miss.
 */
public final class WatchApi {
  /**
   * Longer queries are left out and the answer filtered here: servers limit a request line (4 KiB
   * by default behind gunicorn), and a fleet's queues can be thousands.
   */
  static final int MAX_QUERY_CHARS = 2_000;

  private final TestflingerClient client;

  public WatchApi(TestflingerClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Which of a job's two logs. */
  public enum LogType {
    /** What the phases printed. */
    OUTPUT("output"),
    /** The device's serial console, where the agent captures one. */
    SERIAL("serial");

    private final String path;

    LogType(String path) {
      this.path = path;
    }

    /** The log's name in the API's paths and answers. */
    public String path() {
      return path;
    }
  }

  /**
   * {@code GET /v1/result/<id>/log/<type>}: the job's log from fragment {@code startFragment} on,
   * for every phase or only {@code phase}. Fragments are numbered across the whole job, so asking
   * from {@link JobLog#nextFragment} shows each piece once. An unknown job answers every phase
   * empty, as upstream does.
   *
   * @param phase one of {@link JobLog#PHASES}, or null for all
   */
  public JobLog log(String jobId, LogType type, String phase, int startFragment)
      throws IOException, ApiException {
    if (startFragment < 0) {
      throw new IllegalArgumentException("startFragment < 0");
    }
    if (phase != null && !JobLog.PHASES.contains(phase)) {
      throw new IllegalArgumentException("unknown phase " + phase);
    }
    StringBuilder path =
        new StringBuilder("/v1/result/").append(jobId).append("/log/").append(type.path());
    char sep = '?';
    if (phase != null) {
      path.append(sep).append("phase=").append(phase);
      sep = '&';
    }
    if (startFragment > 0) {
      path.append(sep).append("start_fragment=").append(startFragment);
    }
    String what = "get the " + type.path() + " log of job " + jobId;
    HttpResponse<String> response = client.get(path.toString(), what);
    List<JobLog.Phase> phases = new ArrayList<>();
    if (response.statusCode() != 204) {
      JsonNode byPhase = Messages.json(response, what).path(type.path());
      for (var entry : byPhase.properties()) {
        JsonNode item = entry.getValue();
        phases.add(
            new JobLog.Phase(
                entry.getKey(),
                Math.max(-1, item.path("last_fragment_number").asInt(-1)),
                item.path("log_data").asText("")));
      }
    }
    // The server lists phases by name; they are shown in the order a job walks them.
    phases.sort(java.util.Comparator.comparingInt(p -> walkOrder(p.name())));
    return new JobLog(phases);
  }

  /** Where a phase comes in a job's walk; a phase this client does not know comes last. */
  private static int walkOrder(String phase) {
    int index = JobLog.PHASES.indexOf(phase);
    return index < 0 ? JobLog.PHASES.size() : index;
  }

  /**
   * {@code GET /v1/job/<id>/position}: how many jobs are ahead of this one in its queue (0: it is
   * next); empty once it no longer waits (taken by a machine, ended, or unknown: the server answers
   * 410 for all three).
   */
  public OptionalInt position(String jobId) throws IOException, ApiException {
    String what = "get the queue position of job " + jobId;
    HttpResponse<String> response;
    try {
      response = client.get("/v1/job/" + jobId + "/position", what);
    } catch (ApiException e) {
      if (e.status() == 410) {
        return OptionalInt.empty();
      }
      throw e;
    }
    // A bare number, sent as text/html.
    String body = response.body() == null ? "" : response.body().strip();
    if (!body.matches("[0-9]{1,9}")) {
      throw new ApiException(
          response.statusCode(), "cannot " + what + ": the answer is no number: " + body);
    }
    return OptionalInt.of(Integer.parseInt(body));
  }

  /** How long a queue's jobs waited to start, by percentile (5, 10, 50, 90, 95). */
  public record QueueWaits(Map<Integer, Duration> percentiles) {
    public QueueWaits {
      percentiles = Map.copyOf(percentiles);
    }

    /** The percentile {@code p}, when the server gave it. */
    public Optional<Duration> percentile(int p) {
      return Optional.ofNullable(percentiles.get(p));
    }
  }

  /**
   * {@code GET /v1/queues/wait_times}: the wait percentiles of {@code queues} (of every queue when
   * empty). A queue that never started a job is absent, as the server leaves it out.
   */
  public Map<String, QueueWaits> waitTimes(Collection<String> queues)
      throws IOException, ApiException {
    StringBuilder query = new StringBuilder();
    for (String queue : new java.util.TreeSet<>(queues)) {
      query.append(query.length() == 0 ? '?' : '&').append("queue=").append(encode(queue));
    }
    boolean filterHere = query.length() > MAX_QUERY_CHARS;
    String what = "get the queues' wait times";
    HttpResponse<String> response =
        client.get("/v1/queues/wait_times" + (filterHere ? "" : query), what);
    Map<String, QueueWaits> waits = new TreeMap<>();
    if (response.statusCode() == 204) {
      return waits;
    }
    for (var queue : Messages.json(response, what).properties()) {
      if (filterHere && !queues.contains(queue.getKey())) {
        continue;
      }
      Map<Integer, Duration> percentiles = new TreeMap<>();
      for (var p : queue.getValue().properties()) {
        if (p.getKey().matches("[0-9]{1,3}") && p.getValue().isNumber()) {
          long millis = Math.round(p.getValue().asDouble() * 1000);
          percentiles.put(Integer.parseInt(p.getKey()), Duration.ofMillis(Math.max(0, millis)));
        }
      }
      waits.put(queue.getKey(), new QueueWaits(percentiles));
    }
    return waits;
  }

  /**
   * An agent as {@code GET /v1/agents/data} reports it.
   *
   * @param state {@code waiting} (idle), {@code offline}, {@code maintenance}, a phase name, ...
   * @param jobId the job it runs, "" when none
   * @param provisionStreakType {@code pass} or {@code fail}: how its last provisions went; null
   *     when the server reports none (an agent that never provisioned)
   * @param provisionStreakCount how many provisions in a row went that way; 0 with no streak
   */
  public record AgentStatus(
      String name,
      String state,
      List<String> queues,
      String jobId,
      String provisionStreakType,
      int provisionStreakCount) {
    public AgentStatus {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      queues = List.copyOf(queues);
      Objects.requireNonNull(jobId, "jobId");
      if (provisionStreakCount < 0) {
        throw new IllegalArgumentException("provisionStreakCount < 0");
      }
    }
  }

  /**
   * {@code GET /v1/agents/data}: every agent with its state, queues, job and provision streak, in
   * one request. A server without that call answers an {@link ApiException} (404 or 405).
   */
  public List<AgentStatus> agents() throws IOException, ApiException {
    String what = "list the agents";
    HttpResponse<String> response = client.get("/v1/agents/data", what);
    List<AgentStatus> agents = new ArrayList<>();
    if (response.statusCode() == 204) {
      return agents;
    }
    JsonNode answer = Messages.json(response, what);
    if (!answer.isArray()) {
      throw new ApiException(response.statusCode(), "cannot " + what + ": not a JSON list");
    }
    for (JsonNode agent : answer) {
      List<String> queues = new ArrayList<>();
      agent.path("queues").forEach(q -> queues.add(q.asText()));
      String streak = agent.path("provision_streak_type").asText("");
      agents.add(
          new AgentStatus(
              agent.path("name").asText(),
              agent.path("state").asText(""),
              queues,
              agent.path("job_id").asText(""),
              streak.isEmpty() ? null : streak,
              streak.isEmpty() ? 0 : Math.max(0, agent.path("provision_streak_count").asInt(0))));
    }
    return agents;
  }

  /** A job of a queue: its id, state and when it was submitted (the server's text). */
  public record QueueJob(String jobId, String state, String createdAt) {
    public QueueJob {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * {@code GET /v1/queues/<queue>/jobs}: every job the queue has had, finished ones too (the server
   * keeps them 7 days); empty when none.
   */
  public List<QueueJob> queueJobs(String queue) throws IOException, ApiException {
    String what = "list the jobs of queue " + queue;
    HttpResponse<String> response =
        client.get("/v1/queues/" + encode(queue).replace("+", "%20") + "/jobs", what);
    List<QueueJob> jobs = new ArrayList<>();
    if (response.statusCode() == 204) {
      return jobs;
    }
    JsonNode answer = Messages.json(response, what);
    if (!answer.isArray()) {
      throw new ApiException(response.statusCode(), "cannot " + what + ": not a JSON list");
    }
    for (JsonNode job : answer) {
      jobs.add(
          new QueueJob(
              job.path("job_id").asText(),
              job.path("job_state").asText(""),
              job.path("created_at").asText(null)));
    }
    return jobs;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
