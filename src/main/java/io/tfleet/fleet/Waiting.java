package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.WatchApi;
import io.tfleet.client.WatchApi.QueueWaits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Why a run's jobs wait: each waiting job's place in its queue and how long its queue's jobs waited
 * to start, asked sparingly enough for a status line that refreshes every second. A job's position
 * is asked at most once per {@link #POSITION_EVERY}, the queues' wait times once per {@link #look},
 * and nothing at all when no job waits. A call that fails leaves that part of the insight out; it
 * is never an error.
 */
public final class Waiting {
  /** How often one job's position is asked at most: it changes as jobs ahead start, slowly. */
  public static final Duration POSITION_EVERY = Duration.ofMinutes(1);

  private final WatchApi api;
  private final Clock clock;
  private final int concurrency;

  /** The positions asked, by job id; a job that is not given to a look any more is dropped. */
  private final Map<String, Asked> asked = new HashMap<>();

  private Insight last = Insight.NONE;

  /** A job of the run that waits (state {@code waiting}) and the queue it waits on. */
  public record WaitingJob(String jobId, String queue) {
    public WaitingJob {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(queue, "queue");
    }
  }

  /**
   * How long a queue's jobs waited to start.
   *
   * @param p50 half of them waited at most this long; null when the server did not say
   * @param p90 nine in ten waited at most this long; null when the server did not say
   */
  public record QueueWait(Duration p50, Duration p90) {}

  /**
   * What one look learnt.
   *
   * @param jobs the waiting jobs looked at, in the order given
   * @param positions by job id: the jobs ahead of it (0: it is next); empty when not known (the
   *     call failed, or the job no longer waits)
   * @param queues by queue: its wait times; a queue the server said nothing about is absent
   */
  public record Insight(
      List<WaitingJob> jobs, Map<String, OptionalInt> positions, Map<String, QueueWait> queues) {
    /** Nothing waits. */
    public static final Insight NONE = new Insight(List.of(), Map.of(), Map.of());

    public Insight {
      jobs = List.copyOf(jobs);
      positions = Map.copyOf(positions);
      queues = Map.copyOf(queues);
    }

    /** The job's place: how many jobs are ahead of it; empty when not known. */
    public OptionalInt position(String jobId) {
      return positions.getOrDefault(jobId, OptionalInt.empty());
    }

    /** The queue's median wait to start; empty when not known. */
    public Optional<Duration> p50(String queue) {
      return Optional.ofNullable(queues.get(queue)).map(QueueWait::p50);
    }

    /** The queue's 90th percentile wait to start; empty when not known. */
    public Optional<Duration> p90(String queue) {
      return Optional.ofNullable(queues.get(queue)).map(QueueWait::p90);
    }

    /**
     * Why one job waits, in words: {@code 3rd in queue; p50 wait 4m}, either part left out when not
     * known; empty when neither is.
     */
    public String describe(WaitingJob job) {
      List<String> parts = new ArrayList<>();
      OptionalInt place = position(job.jobId());
      if (place.isPresent()) {
        parts.add(ordinal(place.getAsInt() + 1) + " in queue");
      }
      p50(job.queue()).ifPresent(d -> parts.add("p50 wait " + format(d)));
      return String.join("; ", parts);
    }

    /**
     * The whole run's waiting in one line: {@code 12 waiting: 3 behind other jobs, p50 wait 4m}.
     * The count behind others is of the jobs whose place is known; the p50 is the median over the
     * waiting jobs of their queue's p50 (the wait a typical one of them can expect). Empty when
     * nothing waits.
     */
    public String line() {
      if (jobs.isEmpty()) {
        return "";
      }
      List<String> parts = new ArrayList<>();
      int known = 0;
      int behind = 0;
      List<Duration> p50s = new ArrayList<>();
      for (WaitingJob job : jobs) {
        OptionalInt place = position(job.jobId());
        if (place.isPresent()) {
          known++;
          behind += place.getAsInt() > 0 ? 1 : 0;
        }
        p50(job.queue()).ifPresent(p50s::add);
      }
      if (known > 0) {
        parts.add(behind + " behind other jobs");
      }
      if (!p50s.isEmpty()) {
        p50s.sort(null);
        parts.add("p50 wait " + format(p50s.get((p50s.size() - 1) / 2)));
      }
      return jobs.size() + " waiting" + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }
  }

  /** A position as it was asked: when, and the answer (empty when unknown). */
  private record Asked(Instant at, OptionalInt position) {}

  /**
   * Asks one position at a time.
   *
   * @param clock when each position was asked, so that a job is asked again only a minute later
   */
  public Waiting(WatchApi api, Clock clock) {
    this(api, clock, 1);
  }

  /**
   * @param clock when each position was asked, so that a job is asked again only a minute later
   * @param concurrency how many positions are asked at once, as a whole fleet may wait
   */
  public Waiting(WatchApi api, Clock clock, int concurrency) {
    this.api = Objects.requireNonNull(api, "api");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency < 1");
    }
    this.concurrency = concurrency;
  }

  /**
   * Looks at the run's waiting jobs: the position of each not asked within {@link #POSITION_EVERY},
   * one request each, and the wait times of their queues, one request; nothing when {@code jobs} is
   * empty. An interrupt stops asking, keeps the thread's interrupt status, and returns what is
   * known.
   */
  public synchronized Insight look(List<WaitingJob> jobs) {
    Set<String> ids = new HashSet<>();
    jobs.forEach(j -> ids.add(j.jobId()));
    asked.keySet().retainAll(ids);
    if (jobs.isEmpty()) {
      last = Insight.NONE;
      return last;
    }
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    for (WaitingJob job : jobs) {
      Asked before = asked.get(job.jobId());
      if ((before == null || !now.isBefore(before.at().plus(POSITION_EVERY)))
          && !due.contains(job.jobId())) {
        due.add(job.jobId());
      }
    }
    boolean whole = ask(due, now);
    Map<String, OptionalInt> positions = new LinkedHashMap<>();
    for (WaitingJob job : jobs) {
      Asked known = asked.get(job.jobId());
      positions.put(job.jobId(), known == null ? OptionalInt.empty() : known.position());
    }
    Map<String, QueueWait> queues = whole ? waitTimes(jobs) : Map.of();
    last = new Insight(jobs, positions, queues);
    return last;
  }

  /**
   * Asks the positions of {@code due}, {@link #concurrency} at a time, and keeps each answer with
   * {@code now}; a failed call is kept as unknown, so that a server in trouble is not asked again
   * sooner. Returns false when an interrupt stopped it.
   */
  private boolean ask(List<String> due, Instant now) {
    if (due.isEmpty()) {
      return true;
    }
    if (concurrency == 1 || due.size() == 1) {
      for (String id : due) {
        try {
          asked.put(id, new Asked(now, positionOrEmpty(id)));
        } catch (InterruptedIOException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
    List<Callable<OptionalInt>> calls = new ArrayList<>();
    due.forEach(id -> calls.add(() -> positionOrEmpty(id)));
    List<OptionalInt> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, due.size()));
    try {
      for (Future<OptionalInt> answer : pool.invokeAll(calls)) {
        answers.add(answer.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InterruptedIOException) {
        Thread.currentThread().interrupt();
        return false;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < due.size(); i++) {
      asked.put(due.get(i), new Asked(now, answers.get(i)));
    }
    return true;
  }

  /** The job's position; empty when it no longer waits or the call failed. */
  private OptionalInt positionOrEmpty(String jobId) throws InterruptedIOException {
    try {
      return api.position(jobId);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | ApiException e) {
      return OptionalInt.empty();
    }
  }

  /** What the last {@link #look} learnt, as {@link Insight#line}; empty before one. */
  public synchronized String line() {
    return last.line();
  }

  private Map<String, QueueWait> waitTimes(List<WaitingJob> jobs) {
    Set<String> queues = new TreeSet<>();
    jobs.forEach(j -> queues.add(j.queue()));
    Map<String, QueueWait> waits = new HashMap<>();
    try {
      for (Map.Entry<String, QueueWaits> queue : api.waitTimes(queues).entrySet()) {
        QueueWaits w = queue.getValue();
        waits.put(
            queue.getKey(),
            new QueueWait(w.percentile(50).orElse(null), w.percentile(90).orElse(null)));
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | ApiException e) {
      // The insight goes without wait times.
    }
    return waits;
  }

  /** A wait as tfleet writes durations, in whole seconds: {@code 4m}, {@code 1h30m}, {@code 0s}. */
  static String format(Duration d) {
    return Durations.format(Duration.ofSeconds(Math.round(d.toMillis() / 1000.0)));
  }

  /** {@code 1st}, {@code 2nd}, {@code 3rd}, {@code 4th}, ..., {@code 11th}, {@code 21st}. */
  static String ordinal(int n) {
    int lastTwo = n % 100;
    String suffix =
        lastTwo >= 11 && lastTwo <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return n + suffix;
  }
}
