package io.tfleet.cli;

import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      "  1    a machine failed, was cancelled, timed out, or has no job or no result",
      "  2    usage or input error; nothing was submitted",
      "  3    the server cannot be reached, or it refuses the credentials",
      "  4    the output tree cannot be read or written",
      "  70   a bug in tfleet (-v shows where)",
      "  130  interrupted (Ctrl-C or SIGTERM); tfleet prints the command to carry on"
    })
public final class TfleetCommand implements Callable<Integer> {
  private final Context context;

  TfleetCommand(Context context) {
    this.context = context;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Mode mode = new Mode();

  static final class Mode {
    @Option(
        names = "--send-jobs",
        description = "Only submit the jobs, then exit (as 'tfleet submit').")
    boolean sendJobs;

    @Option(
        names = "--check-status",
        description =
            "Only monitor the jobs whose ids are in the output directory (as 'tfleet monitor').")
    boolean checkStatus;
  }

  @Mixin JobOptions job = new JobOptions();
  @Mixin WatchOptions watch = new WatchOptions();
  @Mixin ServerOptions server = new ServerOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InputException, FleetAbortedException, InterruptedException {
    FleetRun.Mode which =
        mode.sendJobs
            ? FleetRun.Mode.SUBMIT
            : mode.checkStatus ? FleetRun.Mode.MONITOR : FleetRun.Mode.RUN;
    return new FleetRun(context, Args.of(spec), output, server, job, watch).execute(which);
  }
}
