package io.tfleet.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Writes a fleet's inputs and reads its output tree, for tests. */
public final class FleetFiles {
  /**
   * A template whose test command depends on the machine id's prefix: {@code pass-} prints a
   * Certified status, {@code fail-} exits 3, {@code hold-} runs until cancelled.
   */
  public static final String MIXED_TEMPLATE =
      String.join(
          "\n",
          "job_queue: $CANONICAL_ID",
          "provision_data:",
          "  distro: noble",
          "test_data:",
          "  test_cmds: |",
          "    case \"$CANONICAL_ID\" in",
          "      pass-*) echo '{\"status\": \"Certified\", \"id\": \"$CANONICAL_ID\"}' ;;",
          "      fail-*) echo '{\"status\": \"Failed\"}'; exit 3 ;;",
          "      hold-*) sleep 60 ;;",
          "    esac",
          "");

  private FleetFiles() {}

  public static Path machines(Path dir, List<String> ids) throws IOException {
    return Files.writeString(dir.resolve("machines.txt"), String.join("\n", ids) + "\n");
  }

  public static Path template(Path dir, String text) throws IOException {
    return Files.writeString(dir.resolve("tf-job.yaml"), text);
  }

  public static Optional<String> read(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code prefix} followed by 1..n, zero-padded to two digits: pass-01, pass-02, ... */
  public static List<String> ids(String prefix, int n) {
    return java.util.stream.IntStream.rangeClosed(1, n)
        .mapToObj(i -> String.format("%s%02d", prefix, i))
        .toList();
  }

  /** The summary table's row for {@code machine}, with a space after it for whole-word checks. */
  public static String summaryRow(String out, String machine) {
    return out.lines()
            .filter(l -> l.startsWith(machine + " "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no summary row for " + machine + " in\n" + out))
        + " ";
  }

  /** Temporary files left behind by writes that did not finish. */
  public static List<Path> leftovers(Path out) throws IOException {
    try (var files = Files.walk(out)) {
      return files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
    }
  }

  public static String jobId(Path out, String machine) {
    return read(out.resolve(machine).resolve("tf_job_id.txt"))
        .orElseThrow(() -> new AssertionError("no tf_job_id.txt for " + machine));
  }
}
