package io.tfleet.fleet;

import io.tfleet.client.Agent;
import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks, before anything is submitted, that every queue has a machine to take jobs: with one
 * {@code GET /v1/agents/data} for the whole fleet, and one request for each queue that no agent
 * lists (to tell an unknown queue from one without machines); from a server that refuses the
 * listing, one request per queue.
 */
public final class Preflight {
  /** Agent states in which a machine takes no jobs. */
  public static final Set<String> UNAVAILABLE_STATES = Set.of("offline", "maintenance");

  /** Answers that say the server has no agents listing for us; other errors stop the check. */
  private static final Set<Integer> NO_LISTING = Set.of(401, 403, 404, 405, 501);

  private Preflight() {}

  /**
   * Returns, for each queue with a problem, what it is; an empty map means every queue can run
   * jobs. A server that refuses the one-request listing is asked queue by queue, {@code
   * concurrency} at a time, and {@code events} hears about it once.
   */
  public static Map<String, String> problems(
      TestflingerClient client,
      Collection<String> queues,
      int concurrency,
      Retry retry,
      FleetEvents events)
      throws IOException, ApiException, InterruptedException {
    return check(client, queues, concurrency, retry, events).problems();
  }

  /** A failing provision streak that preflight names: from this many failures in a row. */
  public static final int FAILING_STREAK = 3;

  /**
   * What the check found: for each queue with a problem, what it is; and for each queue whose
   * machine's last provisions failed {@link #FAILING_STREAK} or more times in a row, a line that
   * says so (from the same listing, so it costs no request).
   */
  public record Findings(Map<String, String> problems, Map<String, String> failingStreaks) {
    public Findings {
      problems = Map.copyOf(problems);
      failingStreaks = Map.copyOf(failingStreaks);
    }
  }

  /** As {@link #problems}, with the failing provision streaks too. */
  public static Findings check(
      TestflingerClient client,
      Collection<String> queues,
      int concurrency,
      Retry retry,
      FleetEvents events)
      throws IOException, ApiException, InterruptedException {
    Set<String> distinct = new TreeSet<>(queues);
    if (distinct.isEmpty()) {
      return new Findings(Map.of(), Map.of());
    }
    List<Agent> all;
    try {
      all = retry.run("the agents listing", client::allAgents);
    } catch (ApiException e) {
      if (!NO_LISTING.contains(e.status())) {
        throw e;
      }
      events.notice(
          "the server does not list its agents (" + e.getMessage() + "); asking queue by queue");
      return new Findings(perQueue(client, distinct, concurrency, retry), Map.of());
    }
    Map<String, List<Agent>> byQueue = new HashMap<>();
    for (Agent agent : all) {
      agent.queues().forEach(q -> byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(agent));
    }
    Map<String, String> problems = new TreeMap<>();
    Map<String, String> streaks = new TreeMap<>();
    Set<String> unlisted = new TreeSet<>();
    for (String queue : distinct) {
      List<Agent> agents = byQueue.get(queue);
      if (agents == null) {
        unlisted.add(queue);
        continue;
      }
      String problem = problem(agents);
      if (problem != null) {
        problems.put(queue, problem);
      }
      List<String> failing = new ArrayList<>();
      for (Agent agent : agents) {
        if (agent.failedProvisions() >= FAILING_STREAK) {
          failing.add(
              agent.name() + ": its last " + agent.failedProvisions() + " provisions failed");
        }
      }
      if (!failing.isEmpty() && failing.size() == agents.size()) {
        streaks.put(queue, String.join("; ", failing));
      }
    }
    // A queue no agent lists cannot run jobs as things stand; its own answer says whether the
    // server knows it at all. Rare on a real fleet, so this costs nothing in the common case.
    problems.putAll(perQueue(client, unlisted, concurrency, retry));
    return new Findings(problems, streaks);
  }

  /** The old way, for servers without the listing: one request per queue. */
  private static Map<String, String> perQueue(
      TestflingerClient client, Set<String> queues, int concurrency, Retry retry)
      throws IOException, ApiException, InterruptedException {
    if (queues.isEmpty()) {
      return Map.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, queues.size()));
    try {
      Map<String, Future<String>> answers = new TreeMap<>();
      for (String queue : queues) {
        answers.put(queue, pool.submit(() -> problemOf(client, queue, retry)));
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

  private static String problemOf(TestflingerClient client, String queue, Retry retry)
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
    return agents.isEmpty() ? "queue has no machines" : problem(agents);
  }

  /** Null when one of the queue's machines takes jobs; else which are there and in what state. */
  private static String problem(List<Agent> agents) {
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
