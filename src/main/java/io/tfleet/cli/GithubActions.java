package io.tfleet.cli;

import io.tfleet.fleet.RunReports;
import io.tfleet.report.CiOutputs;
import io.tfleet.report.MachineReport;
import io.tfleet.report.MarkdownSummary;
import io.tfleet.report.RunReport;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What a fleet command tells a GitHub Actions runner when it ends: the Markdown summary appended to
 * {@code $GITHUB_STEP_SUMMARY}, and the counts and exit code appended to {@code $GITHUB_OUTPUT} as
 * step outputs. Nothing happens when neither is set, which is everywhere but on a runner.
 */
final class GithubActions {
  static final String STEP_SUMMARY = "GITHUB_STEP_SUMMARY";
  static final String OUTPUT = "GITHUB_OUTPUT";

  private GithubActions() {}

  /** The command that ran, as far as the step's summary cares. */
  private record Ran(Path outputDir, boolean submitOnly) {}

  /**
   * After {@code cli} ended with {@code exitCode}: publishes the tree's summary and counts when the
   * command was a run, submit, monitor or merge. The exit code stays as it is: a runner file that
   * cannot be written is a warning, because the run itself went as the code says.
   */
  static void afterCommand(CommandLine cli, Context context, int exitCode) {
    Optional<String> summaryFile = context.env().get(STEP_SUMMARY);
    Optional<String> outputFile = context.env().get(OUTPUT);
    if (summaryFile.isEmpty() && outputFile.isEmpty()) {
      return;
    }
    Ran ran = ran(cli.getParseResult());
    if (ran == null) {
      return;
    }
    RunReport report = report(ran.outputDir());
    summaryFile.ifPresent(file -> append(context, file, summary(ran, report, exitCode)));
    outputFile.ifPresent(file -> append(context, file, outputs(ran, report, exitCode)));
  }

  /**
   * The fleet command that ran, or null for any other (and for help, a dry run, a bad command
   * line).
   */
  private static Ran ran(ParseResult parsed) {
    if (parsed == null) {
      return null;
    }
    ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
      return null;
    }
    Object command = last.commandSpec().userObject();
    if (command instanceof TfleetCommand t && !t.job.dryRun) {
      return new Ran(t.output.outputDir, t.mode.sendJobs);
    }
    if (command instanceof RunCommand r && !r.job.dryRun) {
      return new Ran(r.output.outputDir, false);
    }
    if (command instanceof SubmitCommand s && !s.job.dryRun) {
      return new Ran(s.output.outputDir, true);
    }
    if (command instanceof MonitorCommand m) {
      return new Ran(m.output.outputDir, false);
    }
    if (command instanceof MergeCommand m) {
      return new Ran(m.output.outputDir, false);
    }
    return null;
  }

  /**
   * The tree's report from its files, as {@code tfleet report} makes it; null when there is none.
   */
  private static RunReport report(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        return null;
      }
      OutputTree tree = OutputTree.open(dir, /* create= */ false);
      if (tree.machines().isEmpty()) {
        return null;
      }
      String server = tree.manifest().map(RunManifest::server).orElse(null);
      return RunReports.ofTree(tree, server, null, null);
    } catch (IOException | InvalidPathException e) {
      return null;
    }
  }

  static String summary(Ran ran, RunReport report, int exitCode) {
    String meaning = "Exit code " + exitCode + ": " + meaning(exitCode, ran.submitOnly()) + ".";
    if (report == null) {
      return "## tfleet: exit code "
          + exitCode
          + "\n\n"
          + meaning
          + " No output tree at `"
          + ran.outputDir().toString().replace("`", "")
          + "`; the job's log says why.\n\n";
    }
    List<String> notes = new ArrayList<>();
    if (ran.submitOnly()) {
      long submitted = report.machines().stream().filter(m -> m.jobId() != null).count();
      notes.add(submitted + " of " + report.machines().size() + " jobs submitted.");
    }
    notes.add(meaning);
    return MarkdownSummary.render(
            report, MarkdownSummary.Style.outside(ran.outputDir().toString(), notes))
        + "\n";
  }

  static String outputs(Ran ran, RunReport report, int exitCode) {
    StringBuilder out = new StringBuilder();
    if (report != null) {
      List<MachineReport> machines = report.machines();
      for (Map.Entry<String, Integer> count : CiOutputs.counts(machines).entrySet()) {
        out.append(count.getKey()).append('=').append(count.getValue()).append('\n');
      }
    }
    String dir = ran.outputDir().toString();
    // One line per output: a path with a line break in it would write an output of its own.
    if (dir.indexOf('\n') < 0 && dir.indexOf('\r') < 0) {
      out.append("output-dir=").append(dir).append('\n');
    }
    out.append("exit-code=").append(exitCode).append('\n');
    return out.toString();
  }

  /** The README's exit code table, in a few words. */
  static String meaning(int exitCode, boolean submitOnly) {
    return switch (exitCode) {
      case ExitCodes.OK -> submitOnly ? "every job was accepted" : "every machine passed";
      case ExitCodes.FAILURES ->
          submitOnly
              ? "some jobs were not accepted"
              : "some machines failed, were cancelled, timed out, were not submitted or have no result";
      case ExitCodes.USAGE -> "usage or input error, or the tree is in use; nothing was submitted";
      case ExitCodes.SERVER -> "the server could not be reached or refused the credentials";
      case ExitCodes.TREE -> "the output tree could not be read or written";
      case ExitCodes.INTERRUPTED -> "interrupted";
      case ExitCodes.INTERNAL -> "a bug in tfleet";
      default -> "unexpected";
    };
  }

  private static void append(Context context, String file, String text) {
    try {
      // One write of the whole text: the runner reads these files once the step has ended.
      Files.writeString(
          context.env().path(file),
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException | InvalidPathException e) {
      context.err().println("tfleet: warning: cannot append to " + file + ": " + e.getMessage());
    }
  }
}
