package io.tfleet.lab;

import java.util.List;

/** {@code GET /v1/queues/wait_times[?queue=Q...]}: how long each queue's jobs waited to start. */
final class WaitTimesEndpoint {
  private final WaitTimes waitTimes;

  WaitTimesEndpoint(WaitTimes waitTimes) {
    this.waitTimes = waitTimes;
  }

  Response get(Request r) {
    List<String> queues = r.query().getOrDefault("queue", List.of());
    return Response.json(200, waitTimes.percentiles(queues));
  }
}
