package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths on the command line start from the environment's working directory. */
class EnvironmentTest {
  @TempDir Path dir;

  @Test
  void aProcesssPathsAreTheOnesTyped() {
    Environment process = new Environment(Map.of());

    assertThat(process.path("machines.txt")).isEqualTo(Path.of("machines.txt"));
    assertThat(process.path("out/x").toString()).isEqualTo("out/x");
    assertThat(process.path("/etc/ssl/ca.pem")).isEqualTo(Path.of("/etc/ssl/ca.pem"));
  }

  @Test
  void aCommandInAnotherFolderReadsAndWritesThereAndNowhereElse() {
    Environment there = new Environment(Map.of(), dir);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Cli.run(
            new String[] {
              "demo", "--phase-seconds", "0", "--examples", "lab-examples", "--output-dir", "out"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            there);

    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isEqualTo(ExitCodes.OK);
    assertThat(dir.resolve("lab-examples/machines.txt")).isRegularFile();
    assertThat(dir.resolve("out/summary.json")).isRegularFile();
    assertThat(Path.of("lab-examples")).doesNotExist();
    assertThat(Path.of("out")).doesNotExist();
  }
}
