package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.client.TestflingerClient;
import io.tfleet.client.WatchApi;
import io.tfleet.fleet.Waiting.Insight;
import io.tfleet.fleet.Waiting.WaitingJob;
import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why jobs wait, asked sparingly: the lab counts every position and wait-times request. */
class WaitingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String POSITION = "GET /v1/job/{id}/position";
  private static final String WAIT_TIMES = "GET /v1/queues/wait_times";

  @TempDir Path dir;

  /** A clock that moves only when told. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static WatchApi api(Lab lab) {
    return new WatchApi(new TestflingerClient(lab.url(), Duration.ofSeconds(10)));
  }

  @Test
  void eachPositionIsAskedOnceAMinuteAndTheWaitTimesOncePerLook() throws Exception {
    Path gate = dir.resolve("go");
    LabConfig config =
        LabConfig.defaults().withPhaseTime(Duration.ofMillis(10)).withQueues(Set.of("wq"));
    try (Lab lab = Lab.start(config)) {
      LabHttp http = new LabHttp(lab);
      String blocker =
          http.submit(LabHttp.job("wq", "while [ ! -f " + gate + " ]; do sleep 0.05; done"));
      Await.until("the queue busy", DEADLINE, () -> "test".equals(http.state(blocker)));
      List<WaitingJob> jobs =
          List.of(
              new WaitingJob(http.submit(LabHttp.job("wq", "true")), "wq"),
              new WaitingJob(http.submit(LabHttp.job("wq", "true")), "wq"),
              new WaitingJob(http.submit(LabHttp.job("wq", "true")), "wq"));
      ManualClock clock = new ManualClock();
      Waiting waiting = new Waiting(api(lab), clock, /* concurrency= */ 4);

      Insight insight = null;
      for (int i = 0; i < 3; i++) {
        insight = waiting.look(jobs);
        clock.advance(Duration.ofSeconds(20));
      }

      assertThat(lab.stats().requestCount(POSITION)).isEqualTo(3);
      assertThat(lab.stats().requestCount(WAIT_TIMES)).isEqualTo(3);
      assertThat(insight.position(jobs.get(0).jobId())).hasValue(0);
      assertThat(insight.position(jobs.get(2).jobId())).hasValue(2);
      assertThat(insight.p50("wq")).isPresent();
      assertThat(insight.describe(jobs.get(2))).matches("3rd in queue; p50 wait \\d+s");
      assertThat(waiting.line()).matches("3 waiting: 2 behind other jobs, p50 wait \\d+s");

      // A minute after they were asked, each is asked again, once.
      waiting.look(jobs);
      waiting.look(jobs);
      assertThat(lab.stats().requestCount(POSITION)).isEqualTo(6);
      assertThat(lab.stats().requestCount(WAIT_TIMES)).isEqualTo(5);

      // A job left out of a look is forgotten, and asked afresh when it waits again.
      waiting.look(jobs.subList(0, 2));
      waiting.look(jobs);
      assertThat(lab.stats().requestCount(POSITION)).isEqualTo(7);

      Files.writeString(gate, "");
      Await.idle(lab);
    }
  }

  @Test
  void nothingWaitingAsksNothing() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      Waiting waiting = new Waiting(api(lab), new ManualClock());

      Insight insight = waiting.look(List.of());

      assertThat(insight.line()).isEmpty();
      assertThat(waiting.line()).isEmpty();
      assertThat(lab.stats().requestCount(POSITION)).isZero();
      assertThat(lab.stats().requestCount(WAIT_TIMES)).isZero();
    }
  }

  @Test
  void failedCallsLeaveTheirPartOutAndAreNotRepeatedSooner() throws Exception {
    LabConfig config =
        LabConfig.defaults().withFaults(FaultPlan.always(POSITION, Fault.status(500)));
    try (Lab lab = Lab.start(config)) {
      WaitingJob job = new WaitingJob("0b0e8b9a-8d7e-4f0c-9a53-3c1f6f4b6e21", "nowhere");
      Waiting waiting = new Waiting(api(lab), new ManualClock());

      Insight first = waiting.look(List.of(job));
      waiting.look(List.of(job));

      assertThat(first.position(job.jobId())).isEqualTo(OptionalInt.empty());
      assertThat(first.describe(job)).isEmpty();
      assertThat(first.line()).isEqualTo("1 waiting");
      assertThat(lab.stats().requestCount(POSITION)).isEqualTo(1);
    }
  }

  @Test
  void placesAreSaidAsOrdinals() {
    assertThat(List.of(1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112))
        .extracting(Waiting::ordinal)
        .containsExactly(
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
            "111th", "112th");
  }
}
