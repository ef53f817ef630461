package io.tfleet.cli;

import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Monitors the jobs of an output tree to the end ({@code --check-status}). */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description =
        "Monitor the jobs whose ids are in the output tree until all have ended (as --check-status).")
public final class MonitorCommand implements Callable<Integer> {
  private final Context context;

  MonitorCommand(Context context) {
    this.context = context;
  }

  @Mixin WatchOptions watch = new WatchOptions();
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    return new FleetRun(context, Args.of(spec), output, server, null, watch)
        .execute(FleetRun.Mode.MONITOR);
  }
}
