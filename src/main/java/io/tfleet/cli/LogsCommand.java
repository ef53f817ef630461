package io.tfleet.cli;

import io.tfleet.client.JobLog;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.WatchApi;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.LogFollower;
import io.tfleet.fleet.LogFollower.Ending;
import io.tfleet.fleet.LogFollower.Target;
import io.tfleet.fleet.Retry;
import io.tfleet.job.InputException;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints the logs of machines' jobs, phase by phase, and follows them as they arrive. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Print the log of each machine's job (or of the job ids given), phase by phase; with"
          + " --follow, as it arrives, until the jobs end. Reads only: other clients miss nothing.",
      "Exits 0 when every log was shown, 1 when a job is unknown to the server or its log cannot"
          + " be read, 130 on Ctrl-C."
    })
public final class LogsCommand implements Callable<Integer> {
  /** Often enough to read along, and a shared server sees one request per job per interval. */
  static final String DEFAULT_INTERVAL = "3";

  private final Context context;

  LogsCommand(Context context) {
    this.context = context;
  }

  @Parameters(
      paramLabel = "MACHINE|JOB_ID",
      arity = "1..*",
      description = "Machines of the output tree, or job ids.")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing the logs as they arrive until every job has ended.")
  boolean follow;

  @Option(
      names = "--phase",
      paramLabel = "PHASE",
      description =
          "Only this phase: setup, provision, firmware_update, test, allocate, reserve or cleanup.")
  String phase;

  @Option(names = "--serial", description = "The serial console log instead of the output.")
  boolean serial;

  @Option(
      names = "--poll-interval",
      paramLabel = "SECONDS",
      defaultValue = DEFAULT_INTERVAL,
      description =
          "Pause between looks at the server while following (default: ${DEFAULT-VALUE}).")
  double pollInterval;

  @Mixin ServerOptions server = new ServerOptions();
  @Mixin TreeOptions output = new TreeOptions();
  @Mixin VerboseOption http = new VerboseOption();

  @Override
  public Integer call() throws InputException, IOException {
    if (phase != null && !JobLog.PHASES.contains(phase)) {
      throw new InputException(
          "--phase must be one of " + String.join(", ", JobLog.PHASES) + ", not '" + phase + "'");
    }
    if (!(pollInterval > 0) || Double.isInfinite(pollInterval)) {
      throw new InputException(
          "--poll-interval must be a number of seconds > 0, not " + pollInterval);
    }
    List<Target> targets = targets();
    TestflingerClient client =
        server.client(
            context.env(), http.verbose ? context.err() : null, Trees.manifest(output.outputDir));
    FleetSettings settings = server.settings();
    FleetEvents events = output.quiet ? FleetEvents.NONE : new ConsoleEvents(context.err());
    LogFollower follower =
        new LogFollower(
            client,
            new Retry(client, settings.backoff(), events),
            serial ? WatchApi.LogType.SERIAL : WatchApi.LogType.OUTPUT,
            phase,
            Duration.ofMillis(Math.max(1, Math.round(pollInterval * 1000))),
            settings.concurrency());
    LogLines lines = new LogLines(context.out(), context.err(), targets.size() > 1, output.quiet);
    try (InterruptGuard guard = InterruptGuard.install()) {
      Map<Target, Ending> endings;
      try {
        endings = follower.run(targets, follow, lines);
      } catch (InterruptedException | InterruptedIOException e) {
        lines.flushAll();
        context.err().println("tfleet: interrupted");
        return ExitCodes.INTERRUPTED;
      } finally {
        lines.flushAll();
      }
      return endings.values().stream().allMatch(e -> e == Ending.ENDED || e == Ending.SHOWN)
          ? ExitCodes.OK
          : ExitCodes.FAILURES;
    }
  }

  /**
   * Each name as a job to follow: a machine of the tree (its current job, under its run's tag),
   * else a job id; anything else is a mistake named before anything is sent.
   */
  private List<Target> targets() throws InputException {
    OutputTree tree = Files.isDirectory(output.outputDir) ? Trees.existing(output.outputDir) : null;
    List<Target> targets = new ArrayList<>();
    for (String name : new LinkedHashSet<>(names)) {
      Optional<MachineFolder> folder =
          tree == null || !Files.isDirectory(tree.machine(name).dir())
              ? Optional.empty()
              : Optional.of(tree.machine(name));
      if (folder.isPresent()) {
        targets.add(machine(folder.get()));
      } else if (TestflingerClient.isJobId(name)) {
        targets.add(new Target(name, name.toLowerCase(java.util.Locale.ROOT), null));
      } else {
        throw new InputException(
            "'"
                + name
                + "' is neither a machine of "
                + output.outputDir
                + (tree == null ? " (there is no such output tree)" : "")
                + " nor a job id");
      }
    }
    return targets;
  }

  private static Target machine(MachineFolder folder) throws InputException {
    try {
      Optional<String> job = folder.jobId();
      if (job.isEmpty()) {
        throw new InputException(
            folder.dir()
                + ": machine "
                + folder.machine()
                + " has no job (no "
                + MachineFolder.JOB_ID
                + ")");
      }
      return new Target(folder.machine(), job.get(), folder.runTag().orElse(null));
    } catch (IOException e) {
      throw new TreeException(folder.dir(), e);
    }
  }
}
