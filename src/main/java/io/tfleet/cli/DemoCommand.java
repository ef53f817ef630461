package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.MachinesFile;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a whole fleet against an in-process lab, to show what tfleet does. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Starts the built-in lab, runs the example fleet against it and prints the summary.",
      "One example machine fails on purpose; the demo exits 0 when everything ran as intended."
    })
public final class DemoCommand implements Callable<Integer> {
  static final List<String> EXAMPLE_FILES = List.of("machines.txt", "tf-job.yaml");

  private final Context context;

  DemoCommand(Context context) {
    this.context = context;
  }

  @Option(
      names = "--examples",
      paramLabel = "DIR",
      defaultValue = "examples",
      description =
          "Where the example machines.txt and tf-job.yaml are, written there if missing (default: ${DEFAULT-VALUE}).")
  Path examples;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description = "Where the results go (default: a new folder under demo_outputs/).")
  Path outputDir;

  @Option(
      names = "--phase-seconds",
      paramLabel = "S",
      defaultValue = "0.2",
      description = "How long each simulated job phase lasts (default: ${DEFAULT-VALUE}).")
  double phaseSeconds;

  @Override
  public Integer call() throws InputException, IOException {
    Path machines = example("machines.txt");
    Path template = example("tf-job.yaml");
    Path out = outputDir != null ? outputDir : freshOutputDir(context.env());
    LabConfig config =
        LabConfig.defaults().withPhaseTime(Duration.ofMillis(Math.round(phaseSeconds * 1000)));
    int code;
    try (Lab lab = Lab.start(config)) {
      context.err().println("Demo lab started at " + lab.url());
      String[] args = {
        "--server", lab.url().toString(),
        "--machines-file", machines.toString(),
        "--template-file", template.toString(),
        "--output-dir", out.toString(),
        "--poll-interval", "0.5",
        // The lab is in this process: no proxy the environment names can reach it.
        "--proxy", NetworkSetup.NO_PROXY
      };
      code = Cli.commandLine(context, args).execute(args);
    }
    List<String> unfinished = unfinished(MachinesFile.read(machines), out);
    if ((code == ExitCodes.OK || code == ExitCodes.FAILURES) && unfinished.isEmpty()) {
      context.out().println();
      context
          .out()
          .println("Demo complete: every machine's files are under " + out + "/<machine id>/");
      context
          .out()
          .println("(tf_job_id.txt, output.txt, hw_status.txt, result.json); the reports are");
      context.out().println(out.resolve("report.html") + ", summary.json and junit.xml beside it.");
      context
          .out()
          .println(
              "The failed machine above is intended: the example template fails one on purpose.");
      return ExitCodes.OK;
    }
    context
        .err()
        .println(
            "tfleet: the demo did not run as intended (exit code "
                + code
                + (unfinished.isEmpty() ? "" : "; no result for " + String.join(", ", unfinished))
                + ")");
    return code == ExitCodes.OK || code == ExitCodes.FAILURES ? ExitCodes.FAILURES : code;
  }

  /** Uses the example file if it is there, else writes the one shipped in the jar. */
  private Path example(String name) throws IOException {
    Path file = examples.resolve(name);
    if (!Files.exists(file)) {
      Files.createDirectories(examples);
      try (InputStream in = DemoCommand.class.getResourceAsStream("/io/tfleet/examples/" + name)) {
        if (in == null) {
          throw new IOException("the example " + name + " is missing from this build");
        }
        Files.copy(in, file);
      }
      context.err().println("Wrote the example " + file);
    }
    return file;
  }

  private static Path freshOutputDir(Environment env) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    return env.path("demo_outputs").resolve(stamp);
  }

  private static List<String> unfinished(List<MachineId> machines, Path out) throws IOException {
    OutputTree tree = OutputTree.open(out, /* create= */ false);
    List<String> missing = new ArrayList<>();
    for (MachineId machine : machines) {
      MachineFolder folder = tree.machine(machine.value());
      if (folder.result().isEmpty()) {
        missing.add(machine.value());
      }
    }
    return missing;
  }
}
