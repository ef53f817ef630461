package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.job.InputException;
import io.tfleet.report.Comparison;
import io.tfleet.report.ComparisonJson;
import io.tfleet.report.HtmlReport;
import io.tfleet.report.MachineReport;
import io.tfleet.report.Reports;
import io.tfleet.report.RunReport;
import io.tfleet.report.Verdict;
import io.tfleet.store.FolderContents;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import io.tfleet.store.TreeNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where every machine of an output tree, or of its round N, stood, read from its files alone (no
 * server): one side of a comparison between runs.
 *
 * <p>A machine whose folder has {@code output.txt} but no {@code result.json} (every machine of a
 * tree of the original script, which files no result and no exit code) is judged from its output:
 * its job completed, since the original writes output only then, and it counts as passed when the
 * output holds a hw status, failed when its hw status is {@code Unknown}.
 */
public final class TreeSnapshot {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputTree tree;
  private final Integer round;
  private final List<MachineFolder> folders;
  private final List<Outcome> outcomes;
  private final List<MachineReport> machines;
  private final int judgedFromOutput;

  private TreeSnapshot(
      OutputTree tree,
      Integer round,
      List<MachineFolder> folders,
      List<Outcome> outcomes,
      List<MachineReport> machines,
      int judgedFromOutput) {
    this.tree = tree;
    this.round = round;
    this.folders = List.copyOf(folders);
    this.outcomes = List.copyOf(outcomes);
    this.machines = List.copyOf(machines);
    this.judgedFromOutput = judgedFromOutput;
  }

  /**
   * The tree at {@code dir} as its files stand now.
   *
   * @throws InputException naming {@code dir} when it is not a tree, has no machines, or cannot be
   *     read
   */
  public static TreeSnapshot read(Path dir) throws InputException {
    return read(dir, null);
  }

  /**
   * Round {@code n} of the tree at {@code dir}: each machine's {@code round-N/} files. A machine
   * without that folder was not part of the new round ({@code --retry-failed} leaves machines that
   * passed alone), so its current files stand for it.
   *
   * @throws InputException naming {@code dir} when no machine has a {@code round-N} folder, or as
   *     {@link #read(Path)}
   */
  public static TreeSnapshot readRound(Path dir, int n) throws InputException {
    if (n < 1) {
      throw new InputException("--round must be 1 or more, not " + n);
    }
    return read(dir, n);
  }

  private static TreeSnapshot read(Path dir, Integer round) throws InputException {
    OutputTree tree;
    try {
      tree = OutputTree.open(dir, /* create= */ false);
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
    try {
      List<MachineFolder> folders = tree.machines();
      if (folders.isEmpty()) {
        throw new InputException(
            dir + ": no machines: no run manifest and no folder with a " + MachineFolder.JOB_ID);
      }
      List<Outcome> outcomes = new ArrayList<>(folders.size());
      List<MachineReport> machines = new ArrayList<>(folders.size());
      List<MachineFolder> read = new ArrayList<>(folders.size());
      int judged = 0;
      int rounds = 0;
      for (MachineFolder current : folders) {
        MachineFolder folder = current;
        if (round != null) {
          Optional<MachineFolder> earlier = TreeNames.round(current, round);
          rounds += earlier.isPresent() ? 1 : 0;
          folder = earlier.orElse(current);
        }
        read.add(folder);
        FolderContents contents = folder.read();
        Judged j = judge(folder, contents);
        judged += j.fromOutput() ? 1 : 0;
        outcomes.add(j.outcome());
        machines.add(
            RunReports.brief(
                j.outcome(),
                contents.result() == null
                    ? RunReports.testOnly(j.outcome())
                    : Results.phaseStatuses(contents.result())));
      }
      if (hasAttempts(read)) {
        // Several attempts per machine: the comparison is of pass rates, which need them all.
        Map<String, MachineRun> runs = new HashMap<>();
        FleetState.of(tree, read).machines().forEach(r -> runs.put(r.machine, r));
        for (int i = 0; i < machines.size(); i++) {
          MachineReport m = machines.get(i);
          machines.set(
              i,
              m.toBuilder()
                  .attempts(RunReports.attempts(tree, runs.get(m.machine()), outcomes.get(i)))
                  .build());
        }
      }
      if (round != null && rounds == 0) {
        throw new InputException(
            dir
                + ": no machine has a "
                + TreeNames.round(round)
                + " folder (rounds are made by --resubmit and --retry-failed)");
      }
      return new TreeSnapshot(tree, round, read, outcomes, machines, judged);
    } catch (IOException e) {
      throw new InputException(dir + ": cannot read the output tree: " + e.getMessage());
    }
  }

  private record Judged(Outcome outcome, boolean fromOutput) {}

  private static boolean hasAttempts(List<MachineFolder> folders) {
    return folders.stream().anyMatch(f -> Files.isDirectory(f.dir().resolve(TreeNames.attempt(1))));
  }

  /** What tfleet files say, else what the original script's files say, else not finished. */
  private static Judged judge(MachineFolder folder, FolderContents contents) throws IOException {
    Optional<Outcome> filed = Results.filed(folder.machine(), contents);
    if (filed.isPresent()) {
      return new Judged(filed.get(), false);
    }
    String jobId = contents.jobId();
    if (contents.result() == null && contents.has(MachineFolder.OUTPUT)) {
      String hw =
          contents.hwStatus() != null && !contents.hwStatus().isEmpty()
              ? contents.hwStatus()
              : Results.hwStatus(
                  Files.readString(
                      folder.dir().resolve(MachineFolder.OUTPUT), StandardCharsets.UTF_8));
      Outcome judged =
          Results.UNKNOWN_HW_STATUS.equals(hw)
              ? new Outcome(
                  folder.machine(),
                  jobId,
                  "complete",
                  null,
                  hw,
                  Verdict.FAILED,
                  "no hw status in output.txt (no result.json: the test exit code is not known)")
              : new Outcome(folder.machine(), jobId, "complete", null, hw, Verdict.PASSED, null);
      return new Judged(judged, true);
    }
    return new Judged(Outcome.unfinished(folder.machine(), jobId, null), false);
  }

  /** The tree's folder. */
  public Path root() {
    return tree.root();
  }

  /** How this side is described in a comparison. */
  public Comparison.Side side() {
    return new Comparison.Side(tree.root().toString(), round, machines.size(), judgedFromOutput);
  }

  /** Every machine, sorted by id. */
  public List<MachineReport> machines() {
    return machines;
  }

  /**
   * The machines that passed: a run against this baseline counts the others' failures as
   * regressions.
   */
  public Set<String> passed() {
    Set<String> passed = new TreeSet<>();
    machines.stream().filter(m -> m.verdict().passed()).forEach(m -> passed.add(m.machine()));
    return passed;
  }

  /** This snapshot as the baseline of {@code current}. */
  public Comparison compareWith(TreeSnapshot current) {
    return Comparison.of(side(), machines, current.side(), current.machines, Instant.now());
  }

  /**
   * This snapshot as the baseline of a run that just wrote {@code report} into {@code currentRoot}.
   */
  public Comparison compareWith(RunReport report, Path currentRoot) {
    return Comparison.of(
        side(),
        machines,
        new Comparison.Side(currentRoot.toString(), null, report.machines().size(), 0),
        report.machines(),
        Instant.now());
  }

  /**
   * Writes {@code comparison.json} and {@code report.html} (with the comparison's section) into
   * this snapshot's tree, leaving its other reports as they are. The page keeps the run's times
   * from {@code summary.json}, when there is one.
   */
  public void writeComparison(Comparison comparison) throws IOException {
    String server = tree.manifest().map(RunManifest::server).orElse(null);
    Instant[] times = runTimes(tree.root().resolve(Reports.SUMMARY_JSON));
    FleetState state = FleetState.of(tree, folders);
    state.settleAs(outcomes);
    RunReport report = RunReports.build(state, server, times[0], times[1]);
    ComparisonJson.write(comparison, tree.root().resolve(Reports.COMPARISON_JSON));
    HtmlReport.write(report, comparison, tree.root().resolve(Reports.REPORT_HTML));
  }

  /** The {@code started_at} and {@code finished_at} of a summary, each null when unknown. */
  private static Instant[] runTimes(Path summary) {
    Instant[] times = new Instant[2];
    try {
      JsonNode node = JSON.readTree(summary.toFile());
      times[0] = instant(node.path("started_at"));
      times[1] = instant(node.path("finished_at"));
    } catch (IOException e) {
      // No summary (a tree of the original script) or an unreadable one: the page says "-".
    }
    return times;
  }

  private static Instant instant(JsonNode node) {
    try {
      return node.isTextual() ? Instant.parse(node.asText()) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
