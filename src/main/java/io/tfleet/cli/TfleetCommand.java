package io.tfleet.cli;

import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Durations;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Results;
import io.tfleet.fleet.Verdict;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.MachinesFile;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The root command: the original script's flags, submitting and/or monitoring a fleet. */
@Command(
    name = "tfleet",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Runs one Testflinger job template on every machine of a list and files each result.",
      "With neither --send-jobs nor --check-status: submit all jobs, then monitor them."
    },
    footer = {
      "",
      "Exit codes:",
      "  0    every job completed and its test command exited 0",
      "  1    some machine failed, was cancelled, or has no result",
      "  2    usage or input error; nothing was submitted",
      "  3    the server cannot be reached, or it refuses the credentials",
      "  130  interrupted (Ctrl-C or SIGTERM); run again with --check-status to carry on"
    })
public final class TfleetCommand implements Callable<Integer> {
  private final Context context;

  TfleetCommand(Context context) {
    this.context = context;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Mode mode = new Mode();

  static final class Mode {
    @Option(names = "--send-jobs", description = "Only submit the jobs, then exit.")
    boolean sendJobs;

    @Option(
        names = "--check-status",
        description = "Only monitor the jobs whose ids are in the output directory.")
    boolean checkStatus;
  }

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
      names = "--output-dir",
      paramLabel = "DIR",
      defaultValue = "job_outputs",
      description = "Where each machine's folder goes (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Option(
      names = "--poll-interval",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Longest pause between monitoring rounds; decimals allowed (default: ${DEFAULT-VALUE}).")
  double pollInterval;

  @Mixin ServerOptions server = new ServerOptions();

  @Option(
      names = "--attachments-relative-to",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Folder that attachments' local paths are relative to (default: ${DEFAULT-VALUE}).")
  Path attachmentsRelativeTo;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Rounds rounds = new Rounds();

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

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Cancel a job not finished this long after submission (e.g. 90m, 2h, 1h30m).")
  String timeout;

  @Option(
      names = "--cancel-on-interrupt",
      description = "On Ctrl-C or SIGTERM, also cancel the run's unfinished jobs.")
  boolean cancelOnInterrupt;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print every HTTP exchange (credentials masked).")
  boolean verbose;

  @Override
  public Integer call() throws InputException, FleetAbortedException {
    Duration poll = pollInterval();
    FleetSettings settings = settings();
    if (mode.checkStatus && (rounds.resubmit || rounds.retryFailed)) {
      throw new InputException("--resubmit and --retry-failed submit jobs: not with --check-status");
    }
    TestflingerClient client =
        new TestflingerClient(
            server.serverUrl(context.env()),
            Duration.ofSeconds(60),
            server.credentials(context.env()),
            verbose ? line -> context.err().println("http: " + line) : line -> {});
    List<RenderedJob> jobs = mode.checkStatus ? List.of() : render();
    OutputTree tree = openTree(/* create= */ !mode.checkStatus);
    try (TreeLock lock = lock(tree);
        Fleet fleet = new Fleet(client, tree, new ConsoleEvents(context.err(), quiet), settings)) {
      List<MachineFolder> folders = mode.checkStatus ? watched(tree) : folders(tree, jobs);
      try (InterruptGuard guard = InterruptGuard.install()) {
        try {
          return run(fleet, tree, jobs, folders, poll);
        } catch (InterruptedException e) {
          return stopped(fleet, folders);
        } finally {
          context.out().flush();
          context.err().flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int run(
      Fleet fleet, OutputTree tree, List<RenderedJob> jobs, List<MachineFolder> folders, Duration poll)
      throws FleetAbortedException, InterruptedException, IOException {
    if (!mode.checkStatus) {
      startNewRounds(folders);
      List<Fleet.Submission> submissions = fleet.submit(jobs);
      if (fleet.archivesPacked() > 0 && !quiet) {
        context.err().println("Packed " + fleet.archivesPacked() + " attachment archive"
            + (fleet.archivesPacked() == 1 ? "" : "s") + " for " + jobs.size() + " machines.");
      }
      if (mode.sendJobs) {
        long failed = submissions.stream().filter(s -> !s.ok()).count();
        context.out().println(
            (submissions.size() - failed) + " of " + submissions.size() + " jobs submitted"
                + (failed > 0 ? "; " + failed + " failed (see error.txt in their folders)" : ""));
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
      }
    }
    List<Outcome> outcomes = fleet.monitor(folders, poll);
    if (!quiet) {
      context.err().println("All jobs are finished and their results filed in " + tree.root() + ".");
    }
    SummaryTable.print(outcomes, context.out());
    boolean allPassed = outcomes.stream().allMatch(o -> o.verdict() == Verdict.PASSED);
    return allPassed ? ExitCodes.OK : ExitCodes.FAILURES;
  }

  /** After Ctrl-C: stop sending, optionally cancel, and say where every machine stands. */
  private int stopped(Fleet fleet, List<MachineFolder> folders) {
    Thread.interrupted();
    try {
      fleet.stop();
      if (cancelOnInterrupt) {
        List<String> cancelled = fleet.cancelUnfinished(folders);
        context.err().println("Cancelled the jobs of " + cancelled.size() + " unfinished machines.");
      }
    } catch (InterruptedException | IOException e) {
      context.err().println("tfleet: while stopping: " + e.getMessage());
    }
    List<Outcome> where = fleet.snapshot();
    SummaryTable.print(where, context.out());
    long unfinished = where.stream().filter(o -> o.verdict() == Verdict.UNFINISHED).count();
    context.err().println("Interrupted with " + unfinished + " machines unfinished; every file"
        + " written is whole. Carry on with: tfleet --check-status --output-dir " + outputDir);
    return ExitCodes.INTERRUPTED;
  }

  /** With --resubmit or --retry-failed, moves the chosen machines' earlier files aside. */
  private void startNewRounds(List<MachineFolder> folders) throws IOException {
    if (!rounds.resubmit && !rounds.retryFailed) {
      return;
    }
    for (MachineFolder folder : folders) {
      if (!Files.isDirectory(folder.dir()) || (folder.jobId().isEmpty() && folder.pendingJobId().isEmpty()
          && folder.error().isEmpty())) {
        continue;
      }
      Optional<Outcome> filed = Results.filed(folder);
      boolean retry =
          rounds.resubmit
              || filed.map(o -> o.verdict() != Verdict.PASSED).orElse(false);
      if (retry) {
        folder.archiveRound();
      }
    }
  }

  private Duration pollInterval() throws InputException {
    if (!(pollInterval > 0) || Double.isInfinite(pollInterval)) {
      throw new InputException("--poll-interval must be a number of seconds > 0, not " + pollInterval);
    }
    return Duration.ofMillis(Math.max(1, Math.round(pollInterval * 1000)));
  }

  private FleetSettings settings() throws InputException {
    if (concurrency < 1 || concurrency > 256) {
      throw new InputException("--concurrency must be between 1 and 256, not " + concurrency);
    }
    FleetSettings settings = FleetSettings.defaults().withConcurrency(concurrency);
    if (timeout != null) {
      try {
        Duration limit = Durations.parse(timeout);
        if (limit.isZero()) {
          throw new InputException("--timeout must be longer than 0");
        }
        settings = settings.withJobTimeout(limit);
      } catch (IllegalArgumentException e) {
        throw new InputException("--timeout: " + e.getMessage());
      }
    }
    return settings;
  }

  /** Reads and renders everything first: bad input must stop the run before anything is sent. */
  private List<RenderedJob> render() throws InputException {
    List<MachineId> machines = MachinesFile.read(machinesFile);
    Template template = Template.read(templateFile, attachmentsRelativeTo);
    List<RenderedJob> jobs = new ArrayList<>(machines.size());
    for (MachineId machine : machines) {
      jobs.add(template.render(machine));
    }
    return jobs;
  }

  private OutputTree openTree(boolean create) throws InputException {
    try {
      return OutputTree.open(outputDir, create);
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
  }

  private static TreeLock lock(OutputTree tree) throws InputException, IOException {
    try {
      return TreeLock.acquire(tree);
    } catch (TreeLock.HeldException e) {
      throw new InputException(e.getMessage());
    }
  }

  private List<MachineFolder> watched(OutputTree tree) throws InputException, IOException {
    List<MachineFolder> machines = tree.machines();
    if (machines.isEmpty()) {
      throw new InputException(outputDir + ": no machine folders with a " + MachineFolder.JOB_ID);
    }
    return machines;
  }

  private static List<MachineFolder> folders(OutputTree tree, List<RenderedJob> jobs) {
    List<MachineFolder> folders = new ArrayList<>(jobs.size());
    jobs.forEach(job -> folders.add(tree.machine(job.machine().value())));
    return folders;
  }
}
