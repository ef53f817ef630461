package io.tfleet.cli;

import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Verdict;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.MachinesFile;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
      "  130  interrupted (Ctrl-C)"
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
      description = "Seconds between monitoring rounds; decimals allowed (default: ${DEFAULT-VALUE}).")
  double pollInterval;

  @Mixin ServerOptions server = new ServerOptions();

  @Option(
      names = "--attachments-relative-to",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Folder that attachments' local paths are relative to (default: ${DEFAULT-VALUE}).")
  Path attachmentsRelativeTo;

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
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    Duration poll = pollInterval();
    if (concurrency < 1) {
      throw new InputException("--concurrency must be at least 1, not " + concurrency);
    }
    TestflingerClient client =
        new TestflingerClient(
            server.serverUrl(context.env()),
            Duration.ofSeconds(60),
            server.credentials(context.env()),
            verbose ? line -> context.err().println("http: " + line) : line -> {});
    if (mode.checkStatus) {
      OutputTree tree = openTree(/* create= */ false);
      try (Fleet fleet = fleet(client, tree)) {
        List<MachineFolder> machines = tree.machines();
        if (machines.isEmpty()) {
          throw new InputException(outputDir + ": no machine folders with a " + MachineFolder.JOB_ID);
        }
        return finish(fleet.monitor(machines, poll));
      } catch (IOException e) {
        throw new InputException(outputDir + ": " + e.getMessage());
      }
    }
    List<RenderedJob> jobs = render();
    OutputTree tree = openTree(/* create= */ true);
    try (Fleet fleet = fleet(client, tree)) {
      List<Fleet.Submission> submissions = fleet.submit(jobs);
      if (mode.sendJobs) {
        long failed = submissions.stream().filter(s -> !s.ok()).count();
        context.out().println(
            (submissions.size() - failed) + " of " + submissions.size() + " jobs submitted"
                + (failed > 0 ? "; " + failed + " failed (see error.txt in their folders)" : ""));
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
      }
      List<MachineFolder> folders = new ArrayList<>();
      submissions.forEach(s -> folders.add(tree.machine(s.machine())));
      return finish(fleet.monitor(folders, poll));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Duration pollInterval() throws InputException {
    if (!(pollInterval > 0) || Double.isInfinite(pollInterval)) {
      throw new InputException("--poll-interval must be a number of seconds > 0, not " + pollInterval);
    }
    return Duration.ofMillis(Math.round(pollInterval * 1000));
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

  private Fleet fleet(TestflingerClient client, OutputTree tree) {
    return new Fleet(client, tree, new ConsoleEvents(context.err(), quiet), concurrency);
  }

  private int finish(List<Outcome> outcomes) {
    if (!quiet) {
      context.err().println("All jobs are finished and their results filed in " + outputDir + ".");
    }
    SummaryTable.print(outcomes, context.out());
    boolean allPassed = outcomes.stream().allMatch(o -> o.verdict() == Verdict.PASSED);
    return allPassed ? ExitCodes.OK : ExitCodes.FAILURES;
  }
}
