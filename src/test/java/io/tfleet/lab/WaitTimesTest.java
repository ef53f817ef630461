package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/queues/wait_times}: upstream's percentiles of how long jobs waited to start. */
class WaitTimesTest {
  @Test
  void percentilesInterpolateBetweenRanksAsUpstreamDoes() {
    WaitTimes times = new WaitTimes();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (long waited : new long[] {12, 0, 0, 9, 0, 0}) {
      times.record("q1", t, t.plusSeconds(waited).plusMillis(900));
    }
    times.record("q2", t, t);

    // The figures the recorded server answered for q1, from whole seconds waited.
    assertThat(times.percentiles(List.of()))
        .isEqualTo(
            LabHttp.json(
                "{\"q1\": {\"5\": 0.0, \"10\": 0.0, \"50\": 0.0, \"90\": 10.5, \"95\": 11.25},"
                    + " \"q2\": {\"5\": 0.0, \"10\": 0.0, \"50\": 0.0, \"90\": 0.0, \"95\": 0.0}}"));
    assertThat(times.percentiles(List.of("q2", "q9")).fieldNames())
        .toIterable()
        .containsExactly("q2");
  }

  @Test
  void labAnswersTheQueuesWhoseJobsStarted() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("a", "b", "idle")))) {
      LabHttp http = new LabHttp(lab);
      http.submit(LabHttp.job("a", "true"));
      http.submit(LabHttp.job("b", "true"));
      Await.idle(lab);

      JsonNode all = LabHttp.json(http.get("/v1/queues/wait_times"));
      assertThat(all.fieldNames()).toIterable().containsExactly("a", "b");
      assertThat(all.get("a").fieldNames())
          .toIterable()
          .containsExactly("5", "10", "50", "90", "95");
      JsonNode one = LabHttp.json(http.get("/v1/queues/wait_times?queue=b&queue=idle"));
      assertThat(one.fieldNames()).toIterable().containsExactly("b");
    }
  }
}
