package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tfleet.report.MachineReport;
import io.tfleet.report.Observed;
import io.tfleet.report.RunReport;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds what the reports show from the output tree and the run's outcomes. */
public final class RunReports {
  /** How much of the end of {@code output.txt} goes into a report. */
  private static final int TAIL_BYTES = 16 * 1024;

  private static final ObjectMapper YAML = new YAMLMapper();

  private RunReports() {}

  /**
   * One entry per outcome, with the details its folder holds: the report of a run that has ended.
   */
  public static RunReport build(
      OutputTree tree, List<Outcome> outcomes, String server, Instant started, Instant finished)
      throws IOException {
    return build(tree, outcomes, server, started, finished, /* live= */ false);
  }

  /**
   * One entry per outcome, with the details its folder holds; {@code live} for a run still going,
   * whose report is written at {@code finished}.
   */
  public static RunReport build(
      OutputTree tree,
      List<Outcome> outcomes,
      String server,
      Instant started,
      Instant finished,
      boolean live)
      throws IOException {
    List<MachineReport> machines = new ArrayList<>(outcomes.size());
    for (Outcome outcome : outcomes) {
      machines.add(machine(tree, outcome));
    }
    machines.sort((a, b) -> a.machine().compareTo(b.machine()));
    return new RunReport(server, started, finished, machines, live);
  }

  /**
   * One entry per outcome with only what the outcome itself says (no folder is read): enough for
   * the summary table, at a fraction of the cost of {@link #build}.
   */
  public static List<MachineReport> brief(List<Outcome> outcomes) {
    List<MachineReport> machines = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      machines.add(brief(o, testOnly(o)));
    }
    machines.sort((a, b) -> a.machine().compareTo(b.machine()));
    return machines;
  }

  /** The entry for one outcome with {@code phases} (phase to exit code) and nothing more. */
  static MachineReport brief(Outcome o, Map<String, Integer> phases) {
    return MachineReport.builder(o.machine(), o.verdict())
        .jobId(o.jobId())
        .state(o.state())
        .phaseStatuses(phases)
        .hwStatus(o.hwStatus())
        .reason(o.reason())
        .build();
  }

  /** The phase exit codes an outcome alone tells: the test's, if known. */
  static Map<String, Integer> testOnly(Outcome o) {
    return o.testStatus() == null ? Map.of() : Map.of("test", o.testStatus());
  }

  /**
   * Where every machine of the tree stands, from its files alone (no server): for rebuilding the
   * reports of a tree.
   */
  public static List<Outcome> fromTree(OutputTree tree) throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    for (MachineFolder folder : tree.machines()) {
      Optional<Outcome> filed = Results.filed(folder);
      outcomes.add(
          filed.orElseGet(() -> Outcome.unfinished(folder.machine(), jobIdOrNull(folder), null)));
    }
    return outcomes;
  }

  private static String jobIdOrNull(MachineFolder folder) {
    try {
      return folder.jobId().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static MachineReport machine(OutputTree tree, Outcome o) throws IOException {
    MachineFolder folder = tree.machine(o.machine());
    Optional<ObjectNode> result = folder.result();
    // Without a filed result (tfleet status files nothing), the outcome's test exit is all there
    // is.
    Map<String, Integer> phases = result.map(Results::phaseStatuses).orElse(testOnly(o));
    Path output = folder.dir().resolve(MachineFolder.OUTPUT);
    boolean hasOutput = Files.isRegularFile(output);
    return MachineReport.builder(o.machine(), o.verdict())
        .jobId(o.jobId())
        .queue(queue(folder))
        .state(o.state())
        .phaseStatuses(phases)
        .hwStatus(o.hwStatus())
        .reason(o.reason())
        .submittedAt(folder.submittedAt().orElse(null))
        .finishedAt(result.isPresent() ? folder.finishedAt().orElse(null) : null)
        .outputTail(hasOutput ? tail(output) : null)
        .outputFile(hasOutput ? tree.root().relativize(output).toString() : null)
        .files(
            folder.readableFiles().stream().map(f -> tree.root().relativize(f).toString()).toList())
        .observed(folder.states().stream().map(s -> new Observed(s.state(), s.seen())).toList())
        .build();
  }

  private static String queue(MachineFolder folder) {
    Path job = folder.dir().resolve(MachineFolder.JOB_YAML);
    try {
      JsonNode node = YAML.readTree(job.toFile());
      JsonNode queue = node == null ? null : node.get("job_queue");
      return queue == null || !queue.isTextual() ? null : queue.asText();
    } catch (IOException e) {
      return null; // no job.yaml (a tree from the original script): the queue is not known
    }
  }

  /** The last {@link #TAIL_BYTES} of a file, read without reading the rest. */
  private static String tail(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
