package io.tfleet.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MachinesFileTest {
  @TempDir Path dir;

  private Path write(String text) throws Exception {
    Path file = dir.resolve("machines.txt");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void trimsAndSkipsBlankLinesAndComments() throws Exception {
    Path file = write("  202101-28595  \n\n# a comment\n202012-28526\r\n\t\nlab.m_1\n");
    assertThat(MachinesFile.read(file))
        .extracting(MachineId::value, MachineId::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("202101-28595", 1),
            org.assertj.core.groups.Tuple.tuple("202012-28526", 4),
            org.assertj.core.groups.Tuple.tuple("lab.m_1", 6));
  }

  @Test
  void duplicateMachineIdIsRejectedWithBothLines() throws Exception {
    Path file = write("a\nb\n\na\n");
    assertThatThrownBy(() -> MachinesFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ":4: duplicate machine id 'a' (first on line 1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", ".", "..", "a/b", "a b", "x;rm"})
  void unsafeIdIsRejectedWithItsLine(String id) throws Exception {
    Path file = write("ok-1\n" + id + "\n");
    assertThatThrownBy(() -> MachinesFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ":2: ")
        .hasMessageContaining("'" + id + "'");
  }

  @Test
  void idStartingWithADashIsRejectedWithTheReason() throws Exception {
    Path file = write("ok-1\n-rf\nmid-dash-ok\n");
    assertThatThrownBy(() -> MachinesFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(
            file
                + ":2: machine id '-rf' starts with '-': every shell command naming its folder"
                + " would read it as an option");
    assertThat(MachinesFile.read(write("a-b-\n")))
        .extracting(MachineId::value)
        .containsExactly("a-b-");
  }

  @Test
  void fileWithOnlyCommentsIsRejected() throws Exception {
    Path file = write("# nothing\n\n");
    assertThatThrownBy(() -> MachinesFile.read(file))
        .hasMessage(file + ": no machine ids (one id a line expected)");
  }

  @Test
  void binaryFileIsRejected() throws Exception {
    Path file = dir.resolve("machines.bin");
    Files.write(file, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
    assertThatThrownBy(() -> MachinesFile.read(file))
        .hasMessage(file + ": is a binary file, not text");
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("absent.txt");
    assertThatThrownBy(() -> MachinesFile.read(file)).hasMessage(file + ": no such file");
  }
}
