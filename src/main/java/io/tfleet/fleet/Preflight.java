package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.TestflingerClient.Agent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Checks, before anything is submitted, that every queue exists and has a machine to take jobs. */
public final class Preflight {
  /** Agent states in which a machine takes no jobs. */
  public static final Set<String> UNAVAILABLE_STATES = Set.of("offline", "maintenance");

  private Preflight() {}

  /**
   * Returns, for each queue with a problem, what it is; an empty map means every queue can run
   * jobs. Queues are asked about {@code concurrency} at a time.
   */
  public static Map<String, String> problems(
      TestflingerClient client, Collection<String> queues, int concurrency, Retry retry)
      throws IOException, ApiException, InterruptedException {
    Set<String> distinct = new TreeSet<>(queues);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, distinct.size())));
    try {
      Map<String, Future<String>> answers = new TreeMap<>();
      for (String queue : distinct) {
        answers.put(queue, pool.submit(() -> problem(client, queue, retry)));
      }
      Map<String, String> problems = new TreeMap<>();
      for (Map.Entry<String, Future<String>> answer : answers.entrySet()) {
        String problem = answer.getValue().get();
        if (problem != null) {
          problems.put(answer.getKey(), problem);
        }
      }
      return problems;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof ApiException api) {
        throw api;
      }
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String problem(TestflingerClient client, String queue, Retry retry)
      throws IOException, ApiException, InterruptedException {
    List<Agent> agents;
    try {
      agents = retry.run("queue " + queue, () -> client.queueAgents(queue));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return "queue does not exist";
      }
      throw e;
    }
    if (agents.isEmpty()) {
      return "queue has no machines";
    }
    List<String> unavailable = new ArrayList<>();
    for (Agent agent : agents) {
      if (!UNAVAILABLE_STATES.contains(agent.state())) {
        return null;
      }
      unavailable.add(agent.name() + " " + agent.state());
    }
    return "no machine available (" + String.join(", ", unavailable) + ")";
  }
}
