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
 */
public record LabStats(long jobsCreated, Map<String, Long> requests, long jobsActive) {

  public LabStats {
    requests = Map.copyOf(Objects.requireNonNull(requests, "requests"));
    if (jobsCreated < 0 || jobsActive < 0) {
      throw new IllegalArgumentException("negative counter");
    }
  }

  /** Returns how many requests reached the route, 0 when none did. */
  public long requestCount(String route) {
    return requests.getOrDefault(route, 0L);
  }
}
