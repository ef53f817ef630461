package io.tfleet.lab;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counters a test reads to prove what clients did.
 *
 * @param jobsCreated every accepted {@code POST /v1/job}, a resubmitted job_id included
 * @param requests requests by route, keyed like {@code "POST /v1/job"} or {@code "GET
 *     /v1/result/{id}"}; requests that match no route count under {@code "<METHOD> (unknown)"}
 * @param jobsActive jobs not yet finished: waiting, or still held by a machine
 * @param faultsInjected faults by {@link Fault#kind()}, e.g. {@code "503"}, {@code "reset"}, {@code
 *     "slow"}, {@code "500-after-handling"}
 * @param restarts how many times the lab dropped every connection and served on (0 or 1)
 * @param jobsByQueue accepted {@code POST /v1/job} per {@code job_queue}: one queue per machine, so
 *     a test counts the jobs a client submitted for each machine; lost jobs count too
 * @param trouble the jobs that met lab trouble, in the order their machines took them
 */
public record LabStats(
    long jobsCreated,
    Map<String, Long> requests,
    long jobsActive,
    Map<String, Long> faultsInjected,
    long restarts,
    Map<String, Long> jobsByQueue,
    List<Trouble.Event> trouble) {

  public LabStats {
    requests = Map.copyOf(Objects.requireNonNull(requests, "requests"));
    faultsInjected = Map.copyOf(Objects.requireNonNull(faultsInjected, "faultsInjected"));
    jobsByQueue = Map.copyOf(Objects.requireNonNull(jobsByQueue, "jobsByQueue"));
    trouble = List.copyOf(Objects.requireNonNull(trouble, "trouble"));
    if (jobsCreated < 0 || jobsActive < 0 || restarts < 0) {
      throw new IllegalArgumentException("negative counter");
    }
  }

  /** Returns how many requests reached the route, 0 when none did. */
  public long requestCount(String route) {
    return requests.getOrDefault(route, 0L);
  }

  /** Returns how many faults of the kind were injected, 0 when none were. */
  public long faultCount(String kind) {
    return faultsInjected.getOrDefault(kind, 0L);
  }

  /** Returns how many jobs the lab accepted for the queue, 0 when none. */
  public long jobsSubmitted(String queue) {
    return jobsByQueue.getOrDefault(queue, 0L);
  }

  /** Returns how many jobs met that kind of trouble. */
  public long troubleCount(Trouble.Kind kind) {
    return trouble.stream().filter(e -> e.kind() == kind).count();
  }

  /** Returns the trouble each job of the queue met, in the order its machine took them. */
  public List<Trouble.Event> troubleOf(String queue) {
    return trouble.stream().filter(e -> e.queue().equals(queue)).toList();
  }

  /** Returns how many faults were injected, of every kind. */
  public long faultsTotal() {
    return faultsInjected.values().stream().mapToLong(Long::longValue).sum();
  }
}
