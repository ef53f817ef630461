package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running out of memory ends the run at once with exit 70, naming the setting that fixes it. */
class OutOfMemoryIT {
  @TempDir Path dir;

  @Test
  void aHeapTooSmallForTheFleetEndsTheRunWith70AndSaysHowToGiveMore() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      ids.add(String.format("pass-%04d", i));
    }
    try (Lab lab =
        Lab.start(LabConfig.defaults().withSimulate(true).withPhaseTime(Duration.ZERO))) {
      TfleetProcess.Result run =
          TfleetProcess.start(
                  dir,
                  Map.of(),
                  List.of("-Xmx12m"),
                  "--server",
                  lab.url().toString(),
                  "--machines-file",
                  FleetFiles.machines(dir, ids).toString(),
                  "--template-file",
                  FleetFiles.template(dir, "job_queue: $CANONICAL_ID\n").toString(),
                  "--output-dir",
                  "out",
                  "-q")
              .await(Duration.ofMinutes(2));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(70);
      assertThat(run.err()).contains("tfleet: out of memory").contains("TFLEET_JAVA_OPTS");
      assertThat(run.err()).as("not retried").doesNotContain("will keep trying");
    }
  }
}
