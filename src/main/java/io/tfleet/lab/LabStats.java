package io.tfleet.lab;

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
 */
public record LabStats(
    long jobsCreated,
    Map<String, Long> requests,
    long jobsActive,
    Map<String, Long> faultsInjected,
    long restarts) {

  public LabStats {
    requests = Map.copyOf(Objects.requireNonNull(requests, "requests"));
    faultsInjected = Map.copyOf(Objects.requireNonNull(faultsInjected, "faultsInjected"));
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

  /** Returns how many faults were injected, of every kind. */
  public long faultsTotal() {
    return faultsInjected.values().stream().mapToLong(Long::longValue).sum();
  }
}
