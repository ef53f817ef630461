package io.tfleet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staged files appear together, in order, or not at all. */
class StagedFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void committedFilesAreInPlaceAndNoTemporaryIsLeft() throws IOException {
    try (StagedFiles staged = new StagedFiles(dir)) {
      try (OutputStream out = staged.create("test_output.txt")) {
        write(out, "output");
      }
      OutputStream left = staged.create("result.json"); // left open: commit closes it
      write(left, "{}");

      staged.commit(List.of("test_output.txt", "result.json"));
    }

    assertThat(names()).containsExactly("result.json", "test_output.txt");
    assertThat(Files.readString(dir.resolve("test_output.txt"))).isEqualTo("output");
    assertThat(Files.readString(dir.resolve("result.json"))).isEqualTo("{}");
  }

  @Test
  void aFailureBeforeTheCommitLeavesNoFinalFileAndNoTemporary() throws IOException {
    assertThatThrownBy(
            () -> {
              try (StagedFiles staged = new StagedFiles(dir)) {
                write(staged.create("test_output.txt"), "half of an output");
                write(staged.create("result.json"), "{");
                throw new IOException("the connection was reset");
              }
            })
        .hasMessage("the connection was reset");

    assertThat(names()).isEmpty();
  }

  @Test
  void temporaryFilesAreNamedAsAtomicFilesNamesThem() throws IOException {
    try (StagedFiles staged = new StagedFiles(dir)) {
      staged.create("result.json").close();

      assertThat(names()).singleElement().asString().matches("\\.result\\.json\\.tmp-[0-9a-f]+");
    }
  }

  @Test
  void aCommitReplacesFilesFiledBefore() throws IOException {
    Files.writeString(dir.resolve("result.json"), "old");
    try (StagedFiles staged = new StagedFiles(dir)) {
      write(staged.create("result.json"), "new");
      staged.commit(List.of("result.json"));
    }

    assertThat(Files.readString(dir.resolve("result.json"))).isEqualTo("new");
  }

  @Test
  void aRenameThatFailsLeavesTheFilesAfterItOut() throws IOException {
    // A folder with something in it cannot be replaced by a file, so the second rename fails.
    Files.createDirectories(dir.resolve("serial.log"));
    Files.writeString(dir.resolve("serial.log").resolve("keep"), "x");
    try (StagedFiles staged = new StagedFiles(dir)) {
      write(staged.create("test_output.txt"), "a");
      write(staged.create("serial.log"), "b");
      write(staged.create("result.json"), "c");

      assertThatThrownBy(
              () -> staged.commit(List.of("test_output.txt", "serial.log", "result.json")))
          .isInstanceOf(IOException.class);
    }

    assertThat(names()).containsExactly("serial.log", "test_output.txt");
    assertThat(Files.isDirectory(dir.resolve("serial.log"))).isTrue();
  }

  @Test
  void theCommitOrderNamesEachStagedFileOnce() throws IOException {
    try (StagedFiles staged = new StagedFiles(dir)) {
      staged.create("a.txt").close();
      staged.create("b.txt").close();

      assertThatThrownBy(() -> staged.commit(List.of("a.txt")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> staged.commit(List.of("a.txt", "b.txt", "a.txt")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> staged.commit(List.of("a.txt", "c.txt")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(names()).isEmpty();
  }

  @Test
  void onlyPlainNamesAreStagedAndEachOnce() throws IOException {
    try (StagedFiles staged = new StagedFiles(dir)) {
      for (String bad : List.of("", ".hidden", "../up", "sub/file", "a\\b")) {
        assertThatThrownBy(() -> staged.create(bad)).isInstanceOf(IllegalArgumentException.class);
      }
      staged.create("once.txt").close();
      assertThatThrownBy(() -> staged.create("once.txt"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(names()).isEmpty();
  }

  @Test
  void nothingIsStagedAfterACommit() throws IOException {
    try (StagedFiles staged = new StagedFiles(dir)) {
      staged.create("a.txt").close();
      staged.commit(List.of("a.txt"));

      assertThatThrownBy(() -> staged.create("b.txt")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> staged.commit(List.of())).isInstanceOf(IllegalStateException.class);
    }

    assertThat(names()).containsExactly("a.txt");
  }
}
