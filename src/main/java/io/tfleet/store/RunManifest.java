package io.tfleet.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an output tree was made for: the server its jobs live on and every machine of the run, so
 * that later commands on the tree use the same server and account for every machine, also those
 * that never got a job. Written before the first submission; trees of the original script have
 * none.
 *
 * @param server the server URL the jobs were submitted to
 * @param machines every machine of the run, as submitted (after {@code --shard}), in file order
 * @param templateDigest SHA-256 of the template file and the {@code --var} values
 * @param shard the {@code --shard} taken, or null
 * @param runTag the tag the run's jobs carry
 * @param command the command line that submits the run's machines again (without credentials)
 * @param writtenAt when the manifest was written, ISO-8601
 * @param retries the run's {@code --retries}, or null for none
 * @param repeat the run's {@code --repeat}, or null for one attempt per machine
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunManifest(
    String server,
    List<String> machines,
    String templateDigest,
    String shard,
    String runTag,
    String command,
    String writtenAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer retries,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer repeat) {
  /** The file's name in the tree's top folder; hidden, so the tree looks like the original's. */
  public static final String FILE = ".tfleet-run.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public RunManifest {
    Objects.requireNonNull(server, "server");
    machines = List.copyOf(machines);
  }

  /** A manifest of a run of one attempt per machine. */
  public RunManifest(
      String server,
      List<String> machines,
      String templateDigest,
      String shard,
      String runTag,
      String command,
      String writtenAt) {
    this(server, machines, templateDigest, shard, runTag, command, writtenAt, null, null);
  }

  /** This manifest with the run's tag, known once the run is set up. */
  public RunManifest withRunTag(String tag) {
    return new RunManifest(
        server, machines, templateDigest, shard, tag, command, writtenAt, retries, repeat);
  }

  /** The manifest of the tree at {@code root}; empty when there is none. */
  public static Optional<RunManifest> read(Path root) throws IOException {
    Path file = root.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(bytes, RunManifest.class));
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file
              + ": not a tfleet run manifest ("
              + e.getMessage().lines().findFirst().orElse("")
              + ")",
          e);
    }
  }

  /** Writes this manifest into the tree at {@code root}, atomically and durably. */
  public void write(Path root) throws IOException {
    AtomicFiles.write(
        root.resolve(FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this),
        /* durable= */ true);
  }
}
