package io.tfleet.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.store.MachineFolder.StateSeen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatesFileTest {
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;

  private MachineFolder folder() throws Exception {
    return OutputTree.open(dir, /* create= */ true).machine("m1").create();
  }

  @Test
  void statesAreKeptInTheOrderTheyWereSeen() throws Exception {
    MachineFolder folder = folder();
    List<StateSeen> states =
        List.of(
            new StateSeen("waiting", T),
            new StateSeen("setup", T.plusSeconds(5)),
            new StateSeen("test", T.plusSeconds(9)));
    folder.writeStates(states);

    assertThat(folder.states()).isEqualTo(states);
    assertThat(folder.read().states()).isEqualTo(states);
    assertThat(Files.readString(dir.resolve("m1/states.json")))
        .startsWith("[\n  {\"state\":\"waiting\",\"seen\":\"2024-05-01T10:00:00Z\"},\n");
  }

  @Test
  void noFileOrAnUnreadableOneMeansNoStates() throws Exception {
    MachineFolder folder = folder();
    assertThat(folder.states()).isEmpty();

    Files.writeString(
        dir.resolve("m1/states.json"), "[{\"state\": \"test\", \"seen\": \"yesterday\"}]");

    assertThat(folder.states()).isEmpty();
  }

  @Test
  void readableFilesAreTheOnesAPersonOpensInAFixedOrder() throws Exception {
    MachineFolder folder = folder();
    for (String name :
        new String[] {
          "error.txt",
          "job.yaml",
          "result.json",
          "test_output.txt",
          "setup_output.txt",
          "output.txt",
          "tf_job_id.txt",
          "states.json",
          ".output.txt.tmp-1"
        }) {
      Files.writeString(dir.resolve("m1").resolve(name), "x");
    }

    assertThat(
            TreeNames.inReadingOrder(
                folder.read().names().stream().filter(TreeNames::isReadable).toList()))
        .containsExactly(
            "output.txt",
            "setup_output.txt",
            "test_output.txt",
            "result.json",
            "job.yaml",
            "error.txt");
  }
}
