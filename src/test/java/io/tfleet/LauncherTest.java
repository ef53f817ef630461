package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The process tests start the jar as the launcher script does. */
class LauncherTest {
  @Test
  void processTestsGiveTheJvmWhatTheLauncherGivesIt() throws Exception {
    String exec =
        Files.readAllLines(Path.of("tfleet")).stream()
            .filter(line -> line.startsWith("exec java "))
            .findFirst()
            .orElseThrow();
    // The launcher adds its class-data archive, which only makes the start faster.
    assertThat(exec)
        .startsWith("exec java " + String.join(" ", TfleetProcess.LAUNCHER_JVM_OPTIONS) + " ");
  }
}
