package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.WatchApi;
import io.tfleet.client.WatchApi.AgentStatus;
import io.tfleet.client.WatchApi.QueueWaits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where each machine's queue stands, for a whole fleet in a handful of requests: one {@code GET
 * /v1/agents/data} (every agent, its state and provision streak), one {@code GET
 * /v1/queues/wait_times}, and the jobs of each queue that has agents but none free. A queue with a
 * free agent is not asked: its agent takes the next job within moments, so nothing waits there.
 */
public final class QueueSurvey {
  /** What a queue can do now. */
  public enum QueueState {
    /** An agent is idle and takes the next job. */
    AVAILABLE,
    /** Every agent that works is running a job: new jobs wait their turn. */
    BUSY,
    /** Every agent is offline or in maintenance: jobs wait until one comes back. */
    OFFLINE,
    /** No agent serves the queue (or the queue does not exist): jobs wait forever. */
    NO_AGENT
  }

  /** A machine of the fleet and the queue its job goes to. */
  public record Machine(String id, String queue) {
    public Machine {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(queue, "queue");
    }
  }

  /**
   * One machine's queue.
   *
   * @param agents the agents that serve the queue, by name
   * @param jobsWaiting the queue's jobs not yet taken; 0 without asking for a queue with a free
   *     agent; null when not known (a queue without agents is not asked)
   * @param p50 half the queue's jobs waited at most this long to start; null when it started none
   * @param p90 nine in ten waited at most this long; null when it started none
   */
  public record Row(
      String machine,
      String queue,
      QueueState state,
      List<AgentStatus> agents,
      Integer jobsWaiting,
      Duration p50,
      Duration p90) {
    public Row {
      Objects.requireNonNull(machine, "machine");
      Objects.requireNonNull(queue, "queue");
      Objects.requireNonNull(state, "state");
      agents = List.copyOf(agents);
    }
  }

  private QueueSurvey() {}

  /** Whether an agent in this state takes a job now, runs one, or takes none. */
  static QueueState stateOf(AgentStatus agent) {
    if (Preflight.UNAVAILABLE_STATES.contains(agent.state())) {
      return QueueState.OFFLINE;
    }
    return agent.state().equals("waiting") ? QueueState.AVAILABLE : QueueState.BUSY;
  }

  /** The queue's state from its agents': one free agent makes it available. */
  static QueueState stateOf(Collection<AgentStatus> agents) {
    if (agents.isEmpty()) {
      return QueueState.NO_AGENT;
    }
    QueueState best = QueueState.OFFLINE;
    for (AgentStatus agent : agents) {
      QueueState state = stateOf(agent);
      if (state == QueueState.AVAILABLE) {
        return state;
      }
      if (state == QueueState.BUSY) {
        best = state;
      }
    }
    return best;
  }

  /**
   * Surveys the machines' queues, at most {@code concurrency} requests at a time; rows by machine.
   */
  public static List<Row> take(
      TestflingerClient client, List<Machine> machines, int concurrency, Retry retry)
      throws IOException, ApiException, InterruptedException {
    WatchApi watch = new WatchApi(client);
    Set<String> queues = new TreeSet<>();
    machines.forEach(m -> queues.add(m.queue()));
    List<AgentStatus> all = retry.run("the agents listing", watch::agents);
    Map<String, List<AgentStatus>> byQueue = new HashMap<>();
    for (AgentStatus agent : all) {
      for (String queue : agent.queues()) {
        if (queues.contains(queue)) {
          byQueue.computeIfAbsent(queue, q -> new ArrayList<>()).add(agent);
        }
      }
    }
    byQueue.values().forEach(a -> a.sort(java.util.Comparator.comparing(AgentStatus::name)));
    Map<String, QueueWaits> waits =
        queues.isEmpty()
            ? Map.of()
            : retry.run("the queues' wait times", () -> watch.waitTimes(queues));
    Map<String, QueueState> states = new TreeMap<>();
    List<String> toAsk = new ArrayList<>();
    for (String queue : queues) {
      QueueState state = stateOf(byQueue.getOrDefault(queue, List.of()));
      states.put(queue, state);
      if (state == QueueState.BUSY || state == QueueState.OFFLINE) {
        toAsk.add(queue);
      }
    }
    Map<String, Integer> waiting = waitingJobs(watch, toAsk, concurrency, retry);
    List<Row> rows = new ArrayList<>();
    for (Machine machine : machines) {
      String queue = machine.queue();
      QueueState state = states.get(queue);
      Integer jobs = state == QueueState.AVAILABLE ? Integer.valueOf(0) : waiting.get(queue);
      QueueWaits wait = waits.get(queue);
      rows.add(
          new Row(
              machine.id(),
              queue,
              state,
              byQueue.getOrDefault(queue, List.of()),
              jobs,
              wait == null ? null : wait.percentile(50).orElse(null),
              wait == null ? null : wait.percentile(90).orElse(null)));
    }
    rows.sort(java.util.Comparator.comparing(Row::machine));
    return rows;
  }

  /** How many jobs wait on each queue: one request per queue, a few at a time. */
  private static Map<String, Integer> waitingJobs(
      WatchApi watch, List<String> queues, int concurrency, Retry retry)
      throws IOException, ApiException, InterruptedException {
    Map<String, Integer> waiting = new TreeMap<>();
    if (queues.isEmpty()) {
      return waiting;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, queues.size()));
    try {
      Map<String, Future<Integer>> answers = new TreeMap<>();
      for (String queue : queues) {
        answers.put(
            queue,
            pool.submit(
                () ->
                    (int)
                        retry.run("queue " + queue, () -> watch.queueJobs(queue)).stream()
                            .filter(j -> j.state().equals("waiting"))
                            .count()));
      }
      for (Map.Entry<String, Future<Integer>> answer : answers.entrySet()) {
        waiting.put(answer.getKey(), answer.getValue().get());
      }
      return waiting;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof ApiException api) {
        throw api;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
