package io.tfleet.cli;

import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Submits every machine's job, then monitors them to the end (what plain {@code tfleet} does). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = "Submit every machine's job, then monitor them until all have ended.")
public final class RunCommand implements Callable<Integer> {
  private final Context context;

  RunCommand(Context context) {
    this.context = context;
  }

  @Mixin JobOptions job = new JobOptions();
  @Mixin WatchOptions watch = new WatchOptions();
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    return new FleetRun(context, Args.of(spec), output, server, job, watch)
        .execute(FleetRun.Mode.RUN);
  }
}
