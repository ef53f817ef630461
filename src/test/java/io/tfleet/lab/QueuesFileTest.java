package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueuesFileTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("queues.txt"), text);
  }

  @Test
  void readsOneQueueALineSkippingBlanksAndComments() throws Exception {
    Path file =
        write("# lab rack 7\nrpi4-001\n\n  rpi4-002  \nnuc-9 # the loud one\n   # indented\n");

    assertThat(QueuesFile.read(file)).containsExactly("rpi4-001", "rpi4-002", "nuc-9");
  }

  @Test
  void emptyFileHasNoQueues() throws Exception {
    assertThat(QueuesFile.read(write(""))).isEmpty();
  }

  @Test
  void nameWithASpaceIsAnErrorNamingFileAndLine() throws Exception {
    Path file = write("good\nbad name\n");

    assertThatThrownBy(() -> QueuesFile.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + ":2: ");
  }

  @Test
  void repeatedNameIsAnErrorNamingBothLines() throws Exception {
    Path file = write("a\nb\na\n");

    assertThatThrownBy(() -> QueuesFile.read(file)).hasMessage(file + ":3: queue a repeats line 1");
  }

  @Test
  void aStateAfterTheNameSetsThatMachineOfflineOrInMaintenance() throws Exception {
    Path file = write("rq-01 offline # broken PSU\nrq-02\nrq-03 \t maintenance\n");

    QueuesFile.Queues queues = QueuesFile.parse(file);
    assertThat(queues.names()).containsExactly("rq-01", "rq-02", "rq-03");
    assertThat(queues.machineStates())
        .containsOnly(entry("rq-01", "offline"), entry("rq-03", "maintenance"));
  }

  @Test
  void unknownStateOrExtraWordsAreErrorsNamingFileAndLine() throws Exception {
    Path unknown = write("a\nb busy\n");
    assertThatThrownBy(() -> QueuesFile.parse(unknown))
        .hasMessage(
            unknown
                + ":2: unknown state 'busy' for queue b (use offline or maintenance, or nothing"
                + " for a working machine)");
    Path extra = write("a offline now\n");
    assertThatThrownBy(() -> QueuesFile.parse(extra))
        .hasMessageStartingWith(extra + ":1: expected a queue name and at most a state");
  }

  @Test
  void missingFileIsAnIoError() {
    assertThatThrownBy(() -> QueuesFile.read(dir.resolve("absent")))
        .isInstanceOf(IOException.class);
  }
}
