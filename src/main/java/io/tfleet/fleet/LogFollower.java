package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.JobLog;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.TestflingerClient.JobSummary;
import io.tfleet.client.WatchApi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Follows the logs of some jobs as they arrive, phase by phase: each round learns where the jobs
 * stand, then asks each job's log from the fragment after the last one shown, so nothing is shown
 * twice and nothing is consumed (the logs persist; any number of clients may follow a job). A job
 * is done once a round found it ended before reading its log: that read had everything.
 *
 * <p>Cost per round: one log request per job still followed, plus where the jobs stand: one search
 * per run tag among them (a machine folder remembers its run's tag), one result for each job
 * without a tag; and for a job that waits, its queue position at most once a minute.
 */
public final class LogFollower {
  /** The states a job does not leave; as the API says, any other may still change. */
  static final Set<String> ENDED = Set.of("complete", "completed", "cancelled");

  /** A waiting job's position is asked for at most this often. */
  static final Duration POSITION_EVERY = Duration.ofMinutes(1);

  /**
   * A job to follow.
   *
   * @param name what its lines are shown under: a machine id, or the job id itself
   * @param runTag the tag of the run that submitted it, when known: its state then comes from one
   *     search for all of that run's jobs; null asks for the job's result
   */
  public record Target(String name, String jobId, String runTag) {
    public Target {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /** How following a job ended. */
  public enum Ending {
    /** The job ended and all of its log was shown. */
    ENDED,
    /** Not following: its log so far was shown, and it goes on. */
    SHOWN,
    /** The server has no such job (never had, or expired after 7 days). */
    UNKNOWN,
    /** A call about it failed for good; the reason went to {@link Sink#problem}. */
    FAILED
  }

  /** Where what the follower learns goes; called from one thread at a time. */
  public interface Sink {
    /** New text of the job's log, all of it from {@code phase}. */
    void text(Target target, String phase, String text);

    /** The job waits in its queue with {@code ahead} jobs before it; said when it changes. */
    default void waiting(Target target, int ahead) {}

    /** The job is done; its whole log has been shown. */
    default void ended(Target target, String state) {}

    /** Following the job stopped for this reason. */
    default void problem(Target target, String reason) {}
  }

  private final TestflingerClient client;
  private final WatchApi watch;
  private final Retry retry;
  private final WatchApi.LogType type;
  private final String phase;
  private final Duration interval;
  private final int concurrency;

  /**
   * @param phase the only phase to show, or null for all
   * @param interval the pause between rounds
   */
  public LogFollower(
      TestflingerClient client,
      Retry retry,
      WatchApi.LogType type,
      String phase,
      Duration interval,
      int concurrency) {
    this.client = client;
    this.watch = new WatchApi(client);
    this.retry = retry;
    this.type = type;
    this.phase = phase;
    this.interval = interval;
    this.concurrency = concurrency;
    if (phase != null && !JobLog.PHASES.contains(phase)) {
      throw new IllegalArgumentException("unknown phase " + phase);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval <= 0");
    }
  }

  /** Where following one job stands between rounds. */
  private static final class Followed {
    final Target target;
    int next;
    Ending ending;
    Integer ahead;
    long positionAskedNanos;
    boolean positionAsked;

    Followed(Target target) {
      this.target = target;
    }
  }

  /**
   * Shows the jobs' logs: with {@code follow}, round after round until every job has ended; else
   * what each has logged so far, once. Returns how each ended, by target, in the order given.
   *
   * @throws IOException when the server could not be reached, for longer than the retries allow
   */
  public Map<Target, Ending> run(List<Target> targets, boolean follow, Sink sink)
      throws IOException, InterruptedException {
    List<Followed> all = new ArrayList<>();
    targets.forEach(t -> all.add(new Followed(t)));
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, targets.size())));
    try {
      while (true) {
        List<Followed> going = all.stream().filter(f -> f.ending == null).toList();
        if (going.isEmpty()) {
          break;
        }
        Map<Followed, String> states = states(going, sink);
        List<Followed> asked = new ArrayList<>();
        Map<Followed, Future<JobLog>> logs = new LinkedHashMap<>();
        for (Followed f : going) {
          if (f.ending == null) {
            asked.add(f);
            logs.put(f, pool.submit(() -> read(f)));
          }
        }
        for (Followed f : asked) {
          JobLog log = await(f, logs.get(f), sink);
          if (log == null) {
            continue;
          }
          for (JobLog.Phase p : log.phases()) {
            if (!p.text().isEmpty()) {
              sink.text(f.target, p.name(), p.text());
            }
          }
          f.next = log.nextFragment(f.next);
          String state = states.get(f);
          if (ENDED.contains(state)) {
            f.ending = Ending.ENDED;
            sink.ended(f.target, state);
            continue;
          }
          if ("waiting".equals(state)) {
            position(f, sink);
          }
          if (!follow) {
            f.ending = Ending.SHOWN;
          }
        }
        if (all.stream().allMatch(f -> f.ending != null)) {
          break;
        }
        Thread.sleep(interval.toMillis());
      }
    } finally {
      pool.shutdownNow();
    }
    Map<Target, Ending> endings = new LinkedHashMap<>();
    all.forEach(f -> endings.put(f.target, f.ending));
    return endings;
  }

  private JobLog read(Followed f) throws IOException, ApiException, InterruptedException {
    return retry.run(f.target.name(), () -> watch.log(f.target.jobId(), type, phase, f.next));
  }

  /** The log read, or null when reading it failed for good (the job is then done with). */
  private static JobLog await(Followed f, Future<JobLog> log, Sink sink)
      throws IOException, InterruptedException {
    try {
      return log.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApiException api) {
        f.ending = Ending.FAILED;
        sink.problem(f.target, api.getMessage());
        return null;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Where each job stands, read before its log: one search per run tag, a result for the others. A
   * job neither finds is unknown to the server and is done with.
   */
  private Map<Followed, String> states(List<Followed> going, Sink sink)
      throws IOException, InterruptedException {
    Map<Followed, String> states = new HashMap<>();
    Map<String, List<Followed>> byTag = new LinkedHashMap<>();
    List<Followed> untagged = new ArrayList<>();
    for (Followed f : going) {
      if (f.target.runTag() == null) {
        untagged.add(f);
      } else {
        byTag.computeIfAbsent(f.target.runTag(), t -> new ArrayList<>()).add(f);
      }
    }
    for (Map.Entry<String, List<Followed>> tag : byTag.entrySet()) {
      List<JobSummary> found;
      try {
        found =
            retry.run(
                "the jobs of run " + tag.getKey(),
                () -> client.search(List.of(tag.getKey()), /* activeOnly= */ false));
      } catch (ApiException e) {
        // A server that cannot search still answers each job's result.
        untagged.addAll(tag.getValue());
        continue;
      }
      Map<String, String> byId = new HashMap<>();
      found.forEach(j -> byId.put(j.jobId(), j.state()));
      for (Followed f : tag.getValue()) {
        String state = byId.get(f.target.jobId());
        if (state == null) {
          // The folder's tag may belong to another round: ask the job itself.
          untagged.add(f);
        } else {
          states.put(f, state);
        }
      }
    }
    for (Followed f : untagged) {
      try {
        Optional<String> state =
            retry
                .run(f.target.name(), () -> client.result(f.target.jobId()))
                .map(r -> r.path("job_state").asText(""));
        if (state.isEmpty()) {
          f.ending = Ending.UNKNOWN;
          sink.problem(f.target, "the server has no job " + f.target.jobId());
        } else {
          states.put(f, state.get());
        }
      } catch (ApiException e) {
        f.ending = Ending.FAILED;
        sink.problem(f.target, e.getMessage());
      }
    }
    return states;
  }

  /** Says where a waiting job is in its queue, asking at most once a minute. */
  private void position(Followed f, Sink sink) throws IOException, InterruptedException {
    long now = System.nanoTime();
    if (f.positionAsked && now - f.positionAskedNanos < POSITION_EVERY.toNanos()) {
      return;
    }
    f.positionAsked = true;
    f.positionAskedNanos = now;
    OptionalInt ahead;
    try {
      ahead = retry.run(f.target.name(), () -> watch.position(f.target.jobId()));
    } catch (ApiException e) {
      // Where it waits is a courtesy: the log is what was asked for.
      return;
    }
    if (ahead.isPresent() && !Integer.valueOf(ahead.getAsInt()).equals(f.ahead)) {
      f.ahead = ahead.getAsInt();
      sink.waiting(f.target, f.ahead);
    }
  }
}
