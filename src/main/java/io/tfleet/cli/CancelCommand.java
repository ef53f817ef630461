package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.FleetState;
import io.tfleet.job.InputException;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.io.InterruptedIOException;
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
      "Safe to use while another tfleet monitors the tree: it files the outcomes.",
      "Exits 1 when a job could not be cancelled, 3 when the server cannot be reached."
    })
public final class CancelCommand implements Callable<Integer> {
  private final Context context;

  CancelCommand(Context context) {
    this.context = context;
  }

  @Parameters(
      paramLabel = "JOB_ID",
      arity = "0..*",
      description = "Job ids to cancel (default: the tree's unfinished jobs).")
  List<String> jobIds = new ArrayList<>();

  @Mixin ServerOptions server = new ServerOptions();
  @Mixin TreeOptions output = new TreeOptions();
  @Mixin VerboseOption http = new VerboseOption();

  @Override
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    TestflingerClient client =
        server.client(
            context.env(), http.verbose ? context.err() : null, Trees.manifest(output.outputDir));
    if (!jobIds.isEmpty()) {
      return cancelGiven(client);
    }
    OutputTree tree = Trees.existing(output.outputDir);
    FleetEvents events = output.quiet ? FleetEvents.NONE : new ConsoleEvents(context.err());
    FleetSettings settings = server.settings();
    try (Fleet fleet =
        new Fleet(client, FleetState.of(tree, Trees.machines(tree)), events, settings)) {
      Fleet.Cancelled cancelled = fleet.cancelUnfinished("cancelled with tfleet cancel");
      cancelled.machines().forEach(m -> context.out().println("cancelled the job of " + m));
      cancelled.failures().forEach(f -> context.err().println("tfleet: could not cancel " + f));
      context
          .out()
          .println(
              count(cancelled.machines().size())
                  + " cancelled"
                  + (cancelled.failures().isEmpty()
                      ? ""
                      : "; " + count(cancelled.failures().size()) + " could not be"));
      return cancelled.failures().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURES;
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (IOException e) {
      throw new TreeException(output.outputDir, e);
    }
  }

  private int cancelGiven(TestflingerClient client)
      throws InputException, FleetAbortedException, InterruptedException {
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
      } catch (ServerUnreachableException e) {
        throw new FleetAbortedException(e.getMessage(), e);
      } catch (InterruptedIOException e) {
        throw new InterruptedException(e.getMessage());
      } catch (ApiException | IOException e) {
        failed++;
        context.err().println("tfleet: " + id + ": " + e.getMessage());
      }
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
  }

  private static String count(int jobs) {
    return jobs + (jobs == 1 ? " job" : " jobs");
  }
}
