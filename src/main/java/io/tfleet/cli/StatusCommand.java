package io.tfleet.cli;

import io.tfleet.client.TestflingerClient;
import io.tfleet.client.WatchApi;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.FleetState;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.RunReports;
import io.tfleet.fleet.Waiting;
import io.tfleet.fleet.WaitingStatus;
import io.tfleet.job.InputException;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Shows where every machine of an output tree stands, with one look at the server. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Print where every machine of the output tree stands, with one look at the server;"
          + " a waiting machine also shows its place in its queue and the queue's p50 wait.",
      "Waits for nothing and writes nothing. Exits 0 only when every machine has passed."
    })
public final class StatusCommand implements Callable<Integer> {
  private final Context context;

  StatusCommand(Context context) {
    this.context = context;
  }

  @Mixin ServerOptions server = new ServerOptions();
  @Mixin OutputDirOption output = new OutputDirOption();
  @Mixin VerboseOption http = new VerboseOption();

  @Override
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    OutputTree tree = Trees.existing(output.outputDir);
    TestflingerClient client =
        server.client(
            context.env(), http.verbose ? context.err() : null, Trees.manifest(output.outputDir));
    FleetSettings settings = server.settings();
    try (Fleet fleet =
        new Fleet(client, FleetState.of(tree, Trees.machines(tree)), FleetEvents.NONE, settings)) {
      List<Outcome> outcomes =
          WaitingStatus.explain(
              fleet.peek(),
              fleet.state(),
              new Waiting(new WatchApi(client), Clock.systemUTC(), settings.concurrency()));
      // The table needs no more than the outcomes: reading every folder again for a full report
      // would double the time status takes on a large tree.
      SummaryTable.print(RunReports.brief(outcomes), context.out(), Terminal.tableWidth(context));
      return outcomes.stream().allMatch(o -> o.verdict().passed())
          ? ExitCodes.OK
          : ExitCodes.FAILURES;
    } catch (IOException e) {
      throw new TreeException(output.outputDir, e);
    }
  }
}
