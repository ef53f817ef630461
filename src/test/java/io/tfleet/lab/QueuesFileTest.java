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

  @Test
  void settingsAfterTheNameSetUpThatMachine() throws Exception {
    Path file =
        write(
            "m01 test-status=1\n"
                + "m02 offline provision-streak=fail:3   # three bad images in a row\n"
                + "m03 test-output=32M test-status=0\n"
                + "m04\n"
                + "m05 test-output=1536 provision-streak=pass:7\n");

    QueuesFile.Queues queues = QueuesFile.parse(file);

    assertThat(queues.names()).containsExactly("m01", "m02", "m03", "m04", "m05");
    assertThat(queues.machineStates()).containsOnly(entry("m02", "offline"));
    assertThat(queues.setups())
        .containsOnly(
            entry("m01", MachineSetup.plain().withTestStatus(1)),
            entry("m02", MachineSetup.plain().withProvisionStreak("fail", 3)),
            entry("m03", MachineSetup.plain().withTestOutput(32L << 20).withTestStatus(0)),
            entry("m05", MachineSetup.plain().withTestOutput(1536).withProvisionStreak("pass", 7)));
  }

  @Test
  void badSettingsAreErrorsNamingFileLineQueueAndWhatIsExpected() throws Exception {
    assertThatThrownBy(() -> QueuesFile.parse(write("a\nb test-status=300\n")))
        .hasMessageEndingWith(
            ":2: queue b: bad setting 'test-status=300': expected a whole number from 0 to 255");
    assertThatThrownBy(() -> QueuesFile.parse(write("a provision-streak=flaky:2\n")))
        .hasMessageEndingWith(
            ":1: queue a: bad setting 'provision-streak=flaky:2': expected provision-streak=pass:N"
                + " or fail:N");
    assertThatThrownBy(() -> QueuesFile.parse(write("a test-output=lots\n")))
        .hasMessageContaining(":1: queue a: bad setting 'test-output=lots': expected a size");
    assertThatThrownBy(() -> QueuesFile.parse(write("a colour=red\n")))
        .hasMessageContaining(":1: queue a: unknown setting 'colour=red' (use test-status=N");
    assertThatThrownBy(() -> QueuesFile.parse(write("a offline test-status=1 maintenance\n")))
        .hasMessageContaining(":1: expected a queue name and at most a state");
  }

  @Test
  void aRepeatedNameIsReportedAsRepeatedEvenWithAState() throws Exception {
    Path file = write("a offline\na offline\n");

    assertThatThrownBy(() -> QueuesFile.parse(file))
        .hasMessage(file + ":2: queue a repeats line 1");
  }
}
