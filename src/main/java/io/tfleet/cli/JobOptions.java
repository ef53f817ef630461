package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.job.Shard;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What to submit: the machines, the template, and how to render and check the jobs. */
public final class JobOptions {
  @Option(
      names = "--machines-file",
      paramLabel = "FILE",
      defaultValue = "machines.txt",
      description = "Machine ids, one a line (default: ${DEFAULT-VALUE}).")
  Path machinesFile;

  @Option(
      names = "--template-file",
      paramLabel = "FILE",
      defaultValue = "tf-job.yaml",
      description = "Job template with $CANONICAL_ID placeholders (default: ${DEFAULT-VALUE}).")
  Path templateFile;

  @Option(
      names = "--attachments-relative-to",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Folder that attachments' local paths are relative to (default: ${DEFAULT-VALUE}).")
  Path attachmentsRelativeTo;

  @Option(
      names = "--var",
      paramLabel = "NAME=VALUE",
      description = "Replace $NAME and $${NAME} in the template too (repeatable).")
  Map<String, String> variables = new LinkedHashMap<>();

  @Option(
      names = "--shard",
      paramLabel = "K/N",
      description = "Take only shard K of N of the machines (stable: by a hash of each id).")
  String shard;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Submit a machine again, up to N more times, when its attempt ended in lab trouble"
              + " (a failed setup or provision, a job the server lost, a cancel by someone"
              + " else); never for a test failure (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Run every machine N times whatever each attempt's outcome, one attempt after another,"
              + " for pressure tests (default: ${DEFAULT-VALUE}).")
  int repeat = 1;

  @Option(
      names = "--skip-failing-provisions",
      description =
          "Do not submit machines whose agent's last provisions all failed (3 or more in a row);"
              + " by default they are named and submitted.")
  boolean skipFailingProvisions;

  @Option(
      names = "--dry-run",
      description = "Render every job and print what would be sent; send nothing.")
  boolean dryRun;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Availability availability = new Availability();

  /** What to do about machines whose queue cannot run jobs now. */
  static final class Availability {
    @Option(
        names = "--skip-unavailable",
        description =
            "Submit to the machines whose queue has a machine available; record the rest.")
    boolean skip;

    @Option(
        names = "--wait-for-available-agents",
        description = "Wait until every queue has a machine available, then submit.")
    boolean await;

    @Option(names = "--no-preflight", description = "Do not check the queues before submitting.")
    boolean none;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Rounds rounds = new Rounds();

  /** Whether machines that already have a job get a new one. */
  static final class Rounds {
    @Option(
        names = "--resubmit",
        description = "Start a new job for every machine, keeping earlier files in <id>/round-N/.")
    boolean resubmit;

    @Option(
        names = "--retry-failed",
        description = "Start a new job for machines that failed, were cancelled or have no job.")
    boolean retryFailed;
  }

  Shard shard() throws InputException {
    if (shard == null) {
      return null;
    }
    try {
      return Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      throw new InputException("--shard: " + e.getMessage());
    }
  }
}
