package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.job.InputException;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Cancels the unfinished jobs of an output tree, or the jobs given. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Cancel every unfinished job of the output tree, or only the job ids given.",
      "Safe to use while another tfleet monitors the tree: it files the outcomes."
    })
public final class CancelCommand implements Callable<Integer> {
  private final Context context;

  CancelCommand(Context context) {
    this.context = context;
  }

  @Parameters(paramLabel = "JOB_ID", arity = "0..*", description = "Job ids to cancel (default: the tree's unfinished jobs).")
  List<String> jobIds = new ArrayList<>();

  @Mixin ServerOptions server = new ServerOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws InputException, IOException, InterruptedException {
    TestflingerClient client = server.client(context.env(), output.verbose ? context.err() : null);
    if (!jobIds.isEmpty()) {
      return cancelGiven(client);
    }
    OutputTree tree = Trees.existing(output.outputDir);
    FleetEvents events = output.quiet ? FleetEvents.NONE : new ConsoleEvents(context.err());
    FleetSettings settings = server.settings();
    try (Fleet fleet = new Fleet(client, tree, events, settings)) {
      List<String> cancelled = fleet.cancelUnfinished(Trees.machines(tree));
      cancelled.forEach(m -> context.out().println("cancelled the job of " + m));
      context.out().println(cancelled.size() + " job" + (cancelled.size() == 1 ? "" : "s") + " cancelled");
      return ExitCodes.OK;
    }
  }

  private int cancelGiven(TestflingerClient client) throws InputException, IOException {
    for (String id : jobIds) {
      if (!TestflingerClient.isJobId(id)) {
        throw new InputException("'" + id + "' is not a job id");
      }
    }
    int failed = 0;
    for (String id : jobIds) {
      try {
        client.cancel(id);
        context.out().println("cancelled job " + id);
      } catch (ApiException e) {
        failed++;
        context.err().println("tfleet: " + e.getMessage());
      }
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
  }
}
