package io.tfleet.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One machine's folder in the output tree. The file names are the original script's ({@code
 * tf_job_id.txt}, {@code output.txt}, {@code hw_status.txt}) plus tfleet's own.
 */
public final class MachineFolder {
  public static final String JOB_ID = "tf_job_id.txt";
  public static final String PENDING_JOB_ID = ".tf_job_id.pending";
  public static final String JOB_YAML = "job.yaml";
  public static final String OUTPUT = "output.txt";
  public static final String HW_STATUS = "hw_status.txt";
  public static final String RESULT = "result.json";
  public static final String ERROR = "error.txt";
  public static final String ATTACHMENTS_PENDING = ".attachments.pending";
  public static final String RUN_TAG = ".run_tag";

  /**
   * Written by tfleet before it cancels the job, so the agent's later outcome cannot overwrite it.
   */
  public static final String CANCELLED_BY_TFLEET = ".cancelled_by_tfleet";

  /** The job's states as tfleet saw them while polling, each with the time it was first seen. */
  public static final String STATES = "states.json";

  /** The folder a job's artifact bundle is unpacked in. */
  public static final String ARTIFACTS = "artifacts";

  /** Marks a job the server has no artifact bundle for, so no later run asks again. */
  public static final String NO_ARTIFACTS = ".no_artifacts";

  /**
   * A filed result may hold a test output of hundreds of MB: no limit on a string's length here,
   * where the file is tfleet's own.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                  .build())
          .build();

  private static final ObjectMapper YAML = new YAMLMapper();

  private final String machine;
  private final Path dir;

  MachineFolder(String machine, Path dir) {
    this.machine = machine;
    this.dir = dir;
  }

  /** The machine id, which is also the folder's name. */
  public String machine() {
    return machine;
  }

  /** The folder itself. */
  public Path dir() {
    return dir;
  }

  /**
   * Reads the folder once: one listing, then only the files it has. What tfleet itself writes later
   * it knows without reading it back.
   */
  public FolderContents read() throws IOException {
    return read(in -> JSON.readTree(in) instanceof ObjectNode o ? o : null);
  }

  /** How a filed result is read: the caller knows which parts it needs. */
  @FunctionalInterface
  public interface ResultReader {
    /** The result in {@code in}, or null when it is not a readable result. */
    ObjectNode read(java.io.InputStream in) throws IOException;
  }

  /**
   * As {@link #read()}, with {@code results} reading {@code result.json}: a result may hold test
   * outputs of hundreds of MB, which a reader can leave out.
   */
  public FolderContents read(ResultReader results) throws IOException {
    Set<String> names = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return FolderContents.empty();
    }
    return new FolderContents(
        names,
        names.contains(JOB_ID) ? jobId().orElse(null) : null,
        names.contains(PENDING_JOB_ID) ? pendingJobId().orElse(null) : null,
        names.contains(RUN_TAG) ? runTag().orElse(null) : null,
        names.contains(ERROR) ? error().orElse(null) : null,
        names.contains(CANCELLED_BY_TFLEET) ? cancellation().orElse(null) : null,
        names.contains(HW_STATUS) ? hwStatus().orElse(null) : null,
        names.contains(RESULT) ? result(results) : null,
        names.contains(STATES) ? states() : List.of(),
        names.contains(JOB_ID) ? submittedAt().orElse(null) : null,
        names.contains(RESULT) ? finishedAt().orElse(null) : null,
        names.contains(JOB_YAML) ? queue() : null);
  }

  /** The filed result as {@code results} reads it; an unreadable one counts as absent. */
  private ObjectNode result(ResultReader results) throws IOException {
    try (var in = new java.io.BufferedInputStream(Files.newInputStream(dir.resolve(RESULT)))) {
      return results.read(in);
    } catch (NoSuchFileException e) {
      return null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /** The {@code job_queue} of {@code job.yaml}; null when it has none or cannot be read. */
  private String queue() {
    try {
      JsonNode node = YAML.readTree(dir.resolve(JOB_YAML).toFile());
      JsonNode queue = node == null ? null : node.get("job_queue");
      return queue == null || !queue.isTextual() ? null : queue.asText();
    } catch (IOException e) {
      return null;
    }
  }

  /** Creates the folder if it does not exist. */
  public MachineFolder create() throws IOException {
    Files.createDirectories(dir);
    return this;
  }

  public void writeJobYaml(String yaml) throws IOException {
    AtomicFiles.write(dir.resolve(JOB_YAML), yaml);
  }

  /** Records, before sending, the id a job is about to be submitted under. */
  public void writePendingJobId(String jobId) throws IOException {
    AtomicFiles.write(dir.resolve(PENDING_JOB_ID), bytes(jobId), /* durable= */ true);
  }

  /** Forgets a pending id once the job id is recorded (a run may stop between the two). */
  public void clearPendingJobId() throws IOException {
    Files.deleteIfExists(dir.resolve(PENDING_JOB_ID));
  }

  public Optional<String> pendingJobId() throws IOException {
    return readText(PENDING_JOB_ID).map(String::strip).filter(s -> !s.isEmpty());
  }

  /**
   * Records that the server accepted the job: {@code tf_job_id.txt}, no newline, as the original.
   * {@code pendingId} is the id the caller recorded with {@link #writePendingJobId} (or null): when
   * it is this job's, that file, already safely on disk, is renamed into place, one rename instead
   * of a second synced file. After a crash or a power loss the id is under one name or the other,
   * never lost.
   */
  public void writeJobId(String jobId, String pendingId) throws IOException {
    Path target = dir.resolve(JOB_ID);
    if (jobId.equals(pendingId)) {
      AtomicFiles.rename(dir.resolve(PENDING_JOB_ID), target);
      // The file's time says when the server accepted the job (submittedAt), not when it was sent.
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
    } else {
      AtomicFiles.write(target, bytes(jobId), /* durable= */ true);
      clearPendingJobId();
    }
    Files.deleteIfExists(dir.resolve(ERROR));
  }

  public Optional<String> jobId() throws IOException {
    return readText(JOB_ID).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** Records the run tag the job is submitted with, so later runs can find it with one search. */
  public void writeRunTag(String tag) throws IOException {
    AtomicFiles.write(dir.resolve(RUN_TAG), tag);
  }

  /** The job's run tag; empty for jobs from the original script or before run tags. */
  public Optional<String> runTag() throws IOException {
    return readText(RUN_TAG).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** When the job id was recorded, that is when the server accepted the job. */
  public Optional<Instant> submittedAt() throws IOException {
    return modified(JOB_ID);
  }

  /** When the result was filed. */
  public Optional<Instant> finishedAt() throws IOException {
    return modified(RESULT);
  }

  private Optional<Instant> modified(String name) throws IOException {
    try {
      return Optional.of(Files.getLastModifiedTime(dir.resolve(name)).toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Records that the server has no artifact bundle for this machine's job. */
  public void markNoArtifacts() throws IOException {
    AtomicFiles.write(dir.resolve(NO_ARTIFACTS), "");
  }

  /**
   * Whether this machine's finished job may have an artifact bundle that is not here: its result is
   * filed, there is no {@code artifacts/} folder, and the server has not said there is none.
   */
  public boolean artifactsMissing() {
    return Files.exists(dir.resolve(RESULT))
        && !Files.isDirectory(dir.resolve(ARTIFACTS))
        && !Files.exists(dir.resolve(NO_ARTIFACTS));
  }

  /** Marks, before submitting, that the job's attachments still have to be uploaded. */
  public void markAttachmentsPending() throws IOException {
    AtomicFiles.write(dir.resolve(ATTACHMENTS_PENDING), "");
  }

  public boolean attachmentsPending() {
    return Files.exists(dir.resolve(ATTACHMENTS_PENDING));
  }

  public void clearAttachmentsPending() throws IOException {
    Files.deleteIfExists(dir.resolve(ATTACHMENTS_PENDING));
  }

  /** Records why this machine has no result (submission failed, job vanished, ...). */
  public void writeError(String reason) throws IOException {
    AtomicFiles.write(dir.resolve(ERROR), reason + "\n");
  }

  public Optional<String> error() throws IOException {
    return readText(ERROR).map(String::strip);
  }

  /**
   * Files a finished job: {@code output.txt} and {@code hw_status.txt} when it completed (as the
   * original), and {@code result.json} always, last, so its presence means the rest is there.
   */
  public void writeResult(ObjectNode result, String output, String hwStatus) throws IOException {
    if (output != null) {
      AtomicFiles.write(dir.resolve(OUTPUT), output);
      AtomicFiles.write(dir.resolve(HW_STATUS), hwStatus);
    }
    AtomicFiles.write(
        dir.resolve(RESULT), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
  }

  /**
   * The file a phase's output is kept in: {@code setup_output.txt}, {@code provision_output.txt},
   * ...; the test phase's is {@link #OUTPUT}, as the original script names it.
   */
  public static String phaseOutputFile(String phase) {
    return "test".equals(phase) ? OUTPUT : phase + "_output.txt";
  }

  /** The file a phase's serial console log is kept in: {@code provision_serial.txt}, ... */
  public static String serialLogFile(String phase) {
    return phase + "_serial.txt";
  }

  /**
   * Keeps the output of a phase other than test (which {@link #writeResult} files as the original).
   */
  public void writePhaseOutput(String phase, String text) throws IOException {
    if ("test".equals(phase)) {
      throw new IllegalArgumentException(
          "the test phase's output is output.txt, filed with the result");
    }
    AtomicFiles.write(dir.resolve(phaseOutputFile(phase)), text);
  }

  /** Keeps a phase's serial console log. */
  public void writeSerialLog(String phase, String text) throws IOException {
    AtomicFiles.write(dir.resolve(serialLogFile(phase)), text);
  }

  /** The stored result, if the job was filed as finished; an unreadable one counts as absent. */
  public Optional<ObjectNode> result() throws IOException {
    Optional<String> text = readText(RESULT);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(text.get());
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Why tfleet cancelled this job, and whether it was for running past the time limit. */
  public record Cancellation(boolean timedOut, String reason) {}

  /** Records, before the cancel request is sent, that tfleet cancels this machine's job. */
  public void markCancelled(Cancellation cancellation) throws IOException {
    AtomicFiles.write(
        dir.resolve(CANCELLED_BY_TFLEET),
        (cancellation.timedOut() ? "timed out" : "cancelled")
            + "\n"
            + cancellation.reason()
            + "\n");
  }

  /** Forgets the mark, when the cancel did not happen after all. */
  public void clearCancelled() throws IOException {
    Files.deleteIfExists(dir.resolve(CANCELLED_BY_TFLEET));
  }

  /** The mark tfleet left when it cancelled this machine's job; empty if it did not. */
  public Optional<Cancellation> cancellation() throws IOException {
    return readText(CANCELLED_BY_TFLEET)
        .map(
            text -> {
              String[] lines = text.split("\n", 2);
              String reason =
                  lines.length > 1 && !lines[1].isBlank()
                      ? lines[1].strip()
                      : "cancelled by tfleet";
              return new Cancellation(lines[0].strip().equals("timed out"), reason);
            });
  }

  /** A state of the job and when tfleet first saw it; times are as observed by polling. */
  public record StateSeen(String state, Instant seen) {
    public StateSeen {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(seen, "seen");
    }
  }

  /**
   * Writes {@code states.json}: the job's states, each with the time it was first seen, oldest
   * first. The file is small (one entry per state) and rewritten atomically; the caller keeps the
   * list, so nothing is read back. One writer per machine at a time.
   */
  public void writeStates(List<StateSeen> states) throws IOException {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < states.size(); i++) {
      StateSeen s = states.get(i);
      json.append("  ")
          .append(
              JSON.writeValueAsString(
                  JSON.createObjectNode().put("state", s.state()).put("seen", s.seen().toString())))
          .append(i + 1 < states.size() ? ",\n" : "\n");
    }
    AtomicFiles.write(dir.resolve(STATES), json.append("]\n").toString());
  }

  /**
   * The states recorded in {@code states.json}, oldest first; empty when there is none (a job of a
   * tree written before tfleet recorded them) or it cannot be read.
   */
  public List<StateSeen> states() throws IOException {
    Optional<String> text = readText(STATES);
    if (text.isEmpty()) {
      return List.of();
    }
    List<StateSeen> states = new ArrayList<>();
    try {
      for (JsonNode entry : JSON.readTree(text.get())) {
        String state = entry.path("state").asText("");
        String seen = entry.path("seen").asText("");
        if (!state.isEmpty() && !seen.isEmpty()) {
          states.add(new StateSeen(state, Instant.parse(seen)));
        }
      }
    } catch (IOException | DateTimeParseException e) {
      return List.of();
    }
    return states;
  }

  /** The last {@code bytes} of {@code output.txt}, read without reading the rest; null if none. */
  public String outputTail(int bytes) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(dir.resolve(OUTPUT).toFile(), "r")) {
      long start = Math.max(0, in.length() - bytes);
      byte[] tail = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  public Optional<String> hwStatus() throws IOException {
    return readText(HW_STATUS).map(String::strip);
  }

  private Optional<String> readText(String name) throws IOException {
    try {
      return Optional.of(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The folder of this machine's earlier attempt {@code k}, read as a machine folder. */
  public MachineFolder attempt(int k) {
    return new MachineFolder(machine, dir.resolve(TreeNames.attempt(k)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
