package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.QueueSurvey;
import io.tfleet.fleet.QueueSurvey.QueueState;
import io.tfleet.fleet.Retry;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows where each machine's queue stands: its agents, jobs waiting, wait times, provisions. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Print, for each machine of the machines file, its queue: the agents and their states"
          + " (available, busy, offline), the jobs waiting, how long jobs waited to start"
          + " (p50/p90), and the agents' provision streaks; then the totals.",
      "Needs no output tree, and a handful of requests for the whole fleet. Exits 0 when every"
          + " queue has an agent that works (available or busy), 1 otherwise."
    })
public final class QueuesCommand implements Callable<Integer> {
  private final Context context;

  QueuesCommand(Context context) {
    this.context = context;
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
      description =
          "The job template, which names each machine's queue (default: ${DEFAULT-VALUE}).")
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
      description = "Take only shard K of N of the machines, as a run with --shard does.")
  String shard;

  @Option(names = "--json", description = "Print JSON instead of the table.")
  boolean json;

  @Mixin ServerOptions server = new ServerOptions();
  @Mixin VerboseOption http = new VerboseOption();

  @Override
  public Integer call()
      throws InputException, FleetAbortedException, InterruptedException, IOException {
    RunInput input = new RunInput(context, jobOptions(), /* quiet= */ json);
    List<MachineId> machines = input.machines();
    List<QueueSurvey.Machine> fleet = new ArrayList<>();
    for (RenderedJob job : RunInput.render(input.template(), machines)) {
      fleet.add(new QueueSurvey.Machine(job.machine().value(), job.queue()));
    }
    TestflingerClient client = server.client(context.env(), http.verbose ? context.err() : null);
    FleetSettings settings = server.settings();
    FleetEvents events = json ? FleetEvents.NONE : new ConsoleEvents(context.err());
    List<QueueSurvey.Row> rows;
    try {
      rows =
          QueueSurvey.take(
              client, fleet, settings.concurrency(), new Retry(client, settings.backoff(), events));
    } catch (ApiException e) {
      throw new FleetAbortedException("cannot survey the queues: " + e.getMessage(), e);
    }
    if (json) {
      QueuesTable.printJson(rows, context.out());
    } else {
      QueuesTable.print(rows, context.out());
    }
    return rows.stream()
            .allMatch(r -> r.state() == QueueState.AVAILABLE || r.state() == QueueState.BUSY)
        ? ExitCodes.OK
        : ExitCodes.FAILURES;
  }

  /** The options a run reads its machines and template with, taken from this command's. */
  private JobOptions jobOptions() {
    JobOptions job = new JobOptions();
    job.machinesFile = machinesFile;
    job.templateFile = templateFile;
    job.attachmentsRelativeTo = attachmentsRelativeTo;
    job.variables = variables;
    job.shard = shard;
    return job;
  }
}
