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

  public static String jobId(Path out, String machine) {
    return read(out.resolve(machine).resolve("tf_job_id.txt"))
        .orElseThrow(() -> new AssertionError("no tf_job_id.txt for " + machine));
  }
}
