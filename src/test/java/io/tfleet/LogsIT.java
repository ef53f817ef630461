package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfleet logs --follow} as a process: Ctrl-C ends it at once, with 130. */
class LogsIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void ctrlCWhileFollowingExits130AndLeavesTheJobAlone() throws Exception {
    Path gate = dir.resolve("go");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      LabHttp http = new LabHttp(lab);
      String id =
          http.submit(
              LabHttp.job(
                  "li-1", "echo started; while [ ! -f " + gate + " ]; do sleep 0.05; done"));
      TfleetProcess following =
          TfleetProcess.start(
              dir,
              Map.of(),
              "logs",
              id,
              "--follow",
              "--poll-interval",
              "0.1",
              "--server",
              lab.url().toString());
      Await.until("the line printed", LIMIT, () -> printed(following).contains("started\n"));

      new ProcessBuilder("kill", "-INT", Long.toString(following.process().pid()))
          .start()
          .waitFor();
      TfleetProcess.Result stopped = following.await(LIMIT);

      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
      assertThat(stopped.err()).contains("tfleet: interrupted").doesNotContain("Exception");
      assertThat(stopped.out()).endsWith("\nstarted\n");
      // Following reads only: the job runs on as it did.
      assertThat(http.state(id)).isEqualTo("test");
      Files.writeString(gate, "");
      Await.idle(lab);
    }
  }

  private static String printed(TfleetProcess process) {
    try {
      return process.outSoFar();
    } catch (IOException e) {
      return "";
    }
  }
}
