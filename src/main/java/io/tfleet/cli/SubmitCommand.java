package io.tfleet.cli;

import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Submits every machine's job and exits ({@code --send-jobs}). */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = "Submit every machine's job, record the job ids, and exit (as --send-jobs).")
public final class SubmitCommand implements Callable<Integer> {
  private final Context context;

  SubmitCommand(Context context) {
    this.context = context;
  }

  @Mixin JobOptions job = new JobOptions();
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    return new FleetRun(context, Args.of(spec), output, server, job, null)
        .execute(FleetRun.Mode.SUBMIT);
  }
}
