package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.store.OutputTree;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveReportTest {
  @TempDir Path dir;

  /** A clock the test moves by hand. */
  private static final class Hand extends Clock {
    Instant now = Instant.parse("2024-05-01T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final List<Outcome> snapshot =
      List.of(Outcome.unfinished("m1", "0f0e0d0c-0000-4000-8000-000000000001", "test"));

  @Test
  void rewritesOnlyAfterARoundThatChangedSomethingAndNotMoreOftenThanTheInterval()
      throws Exception {
    OutputTree tree = OutputTree.open(dir, /* create= */ true);
    Hand clock = new Hand();
    LiveReport live =
        new LiveReport(
            FleetState.load(tree), "http://127.0.0.1:1", clock.now, FleetEvents.NONE, clock);

    live.roundEnded(snapshot, /* changed= */ false);
    assertThat(live.writes()).isZero();
    assertThat(dir.resolve("report.html")).doesNotExist();

    live.roundEnded(snapshot, /* changed= */ true);
    assertThat(live.writes()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("report.html"))).contains("http-equiv=\"refresh\"");
    assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"live\" : true");
    assertThat(dir.resolve("junit.xml")).doesNotExist();

    clock.now = clock.now.plusSeconds(1);
    live.roundEnded(snapshot, /* changed= */ true);
    assertThat(live.writes()).as("within the interval").isEqualTo(1);

    // The change held back is written once the interval has passed, even after a quiet round.
    clock.now = clock.now.plus(LiveReport.MIN_INTERVAL);
    live.roundEnded(snapshot, /* changed= */ false);
    assertThat(live.writes()).isEqualTo(2);

    clock.now = clock.now.plus(LiveReport.MIN_INTERVAL);
    live.roundEnded(snapshot, /* changed= */ false);
    assertThat(live.writes()).as("nothing new").isEqualTo(2);
  }

  @Test
  void passesEveryEventOnToTheListenerItWraps() {
    List<String> told = new ArrayList<>();
    FleetEvents recorder =
        new FleetEvents() {
          @Override
          public void submitted(String machine, String jobId, boolean reused) {
            told.add("submitted");
          }

          @Override
          public void submitFailed(String machine, String reason) {
            told.add("submitFailed");
          }

          @Override
          public void stateChanged(String machine, String jobId, String from, String to) {
            told.add("stateChanged");
          }

          @Override
          public void notice(String message) {
            told.add("notice");
          }

          @Override
          public void finished(Outcome outcome) {
            told.add("finished");
          }

          @Override
          public void roundEnded(List<Outcome> snapshot, boolean changed) {
            told.add("roundEnded");
          }
        };
    LiveReport live = new LiveReport(null, null, null, recorder, Clock.systemUTC());

    live.submitted("m", "j", false);
    live.submitFailed("m", "r");
    live.stateChanged("m", "j", null, "test");
    live.notice("n");
    live.finished(snapshot.get(0));
    live.roundEnded(snapshot, /* changed= */ false);

    assertThat(told)
        .containsExactly(
            "submitted", "submitFailed", "stateChanged", "notice", "finished", "roundEnded");
  }

  /** An event added to FleetEvents later must be passed on too, not swallowed by its default. */
  @Test
  void overridesEveryEvent() throws Exception {
    for (Method event : FleetEvents.class.getDeclaredMethods()) {
      if (event.isDefault()) {
        assertThat(LiveReport.class.getDeclaredMethod(event.getName(), event.getParameterTypes()))
            .as(event.getName())
            .isNotNull();
      }
    }
  }

  @Test
  void aRewriteThatTakesLongWaitsTenTimesAsLong() throws Exception {
    OutputTree tree = OutputTree.open(dir, /* create= */ true);
    Hand clock = new Hand();
    // Each look at the clock during a write moves it 2 s on: a write that takes 2 s.
    Clock slow =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneId.of("UTC");
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            Instant now = clock.now;
            clock.now = clock.now.plusSeconds(2);
            return now;
          }
        };
    LiveReport live =
        new LiveReport(
            FleetState.load(tree), "http://127.0.0.1:1", clock.now, FleetEvents.NONE, slow);

    live.roundEnded(snapshot, /* changed= */ true);
    clock.now = clock.now.plus(Duration.ofSeconds(15));
    live.roundEnded(snapshot, /* changed= */ true);
    assertThat(live.writes()).as("20 s have not passed").isEqualTo(1);
    clock.now = clock.now.plus(Duration.ofSeconds(10));
    live.roundEnded(snapshot, /* changed= */ true);
    assertThat(live.writes()).isEqualTo(2);
  }
}
