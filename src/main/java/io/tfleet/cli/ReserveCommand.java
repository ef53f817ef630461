package io.tfleet.cli;

import io.tfleet.client.ReserveData;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Durations;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.Reservations;
import io.tfleet.fleet.Reservations.Access;
import io.tfleet.fleet.Reservations.Reserved;
import io.tfleet.job.InputException;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reserves machines for a person to log in to, and prints how to reach each. */
@Command(
    name = "reserve",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Reserve machines to log in to: each gets its run's job without the test and with"
          + " reserve_data, held for --timeout; tfleet prints the ssh command of each as soon as"
          + " it is reachable, then waits until the reservations end.",
      "A reservation is the machine's job in the output tree: its earlier files move to"
          + " round-N/. End reservations sooner with tfleet cancel.",
      "Exits 0 when every machine got its ssh command, 1 otherwise, 130 on Ctrl-C (the"
          + " reservations go on)."
    })
public final class ReserveCommand implements Callable<Integer> {
  /** What an upstream agent holds a machine for unless told otherwise. */
  static final String DEFAULT_TIMEOUT = "1h";

  /** An agent's {@code max_reserve_timeout} when its configuration sets none. */
  private static final Duration AGENT_CAP = Duration.ofHours(6);

  private final Context context;

  ReserveCommand(Context context) {
    this.context = context;
  }

  @Parameters(
      paramLabel = "MACHINE",
      arity = "0..*",
      description = "Machines to reserve (or --failed).")
  List<String> machines = new ArrayList<>();

  @Option(
      names = "--failed",
      description =
          "Reserve the machines of the output tree that did not pass (failed, cancelled, timed"
              + " out, lost, not submitted).")
  boolean failed;

  @Option(
      names = "--ssh-key",
      paramLabel = "lp:USER|gh:USER",
      required = true,
      description =
          "Whose keys the machines let in: a Launchpad or GitHub account (repeatable; at least"
              + " one).")
  List<String> sshKeys = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_TIMEOUT,
      description =
          "How long each machine stays reserved (90m, 2h, 1h30m; default: ${DEFAULT-VALUE});"
              + " agents cap it, at 6h unless configured.")
  String timeout;

  @Option(
      names = "--no-wait",
      description =
          "Return once every machine has its ssh command; the reservations go on until their"
              + " timeout or tfleet cancel.")
  boolean noWait;

  @Mixin ServerOptions server = new ServerOptions();
  @Mixin TreeOptions output = new TreeOptions();
  @Mixin VerboseOption http = new VerboseOption();

  @Override
  public Integer call() throws InputException, FleetAbortedException {
    if (failed == !machines.isEmpty()) {
      throw new InputException(
          failed
              ? "name machines or --failed, not both"
              : "name the machines to reserve, or --failed");
    }
    ReserveData data = reserveData();
    boolean made = !Files.exists(output.outputDir);
    OutputTree tree = failed ? Trees.existing(output.outputDir) : Trees.create(output.outputDir);
    try {
      TestflingerClient client =
          server.client(
              context.env(), http.verbose ? context.err() : null, Trees.manifest(output.outputDir));
      return reserve(client, tree, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (made) {
        Trees.removeIfUnused(tree);
      }
    }
  }

  private int reserve(TestflingerClient client, OutputTree tree, ReserveData data)
      throws InputException, FleetAbortedException, IOException {
    try (TreeLock lock = lock(tree);
        InterruptGuard guard = InterruptGuard.install()) {
      Reservations reservations = new Reservations(client, tree, server.settings(), new Printer());
      List<String> names = failed ? reservations.notPassed() : machines;
      if (names.isEmpty()) {
        context
            .out()
            .println(
                "Nothing to reserve: every machine of "
                    + tree.root()
                    + " passed, or its job is still going.");
        return ExitCodes.OK;
      }
      List<Reservations.Planned> plan = reservations.plan(names, data);
      List<Reserved> reserved;
      try {
        reserved = reservations.submit(plan);
        if (!noWait && !output.quiet) {
          Prose.println(
              context,
              "Waiting until the reservations end. Ctrl-C leaves them running; to end them"
                  + " sooner:\n  "
                  + cancelCommand(client, tree));
        }
        reserved = reservations.watch(reserved, /* untilEnded= */ !noWait);
      } catch (InterruptedException e) {
        context.out().flush();
        Prose.println(
            context,
            "tfleet: interrupted; the reservations go on until their timeout. End them with:\n  "
                + cancelCommand(client, tree));
        return ExitCodes.INTERRUPTED;
      }
      if (noWait && reserved.stream().anyMatch(Reserved::reachable) && !output.quiet) {
        Prose.println(
            context,
            "The machines stay reserved until their timeout. End the reservations sooner with:\n  "
                + cancelCommand(client, tree));
      }
      return reserved.stream().allMatch(Reserved::reachable) ? ExitCodes.OK : ExitCodes.FAILURES;
    } finally {
      context.out().flush();
    }
  }

  private ReserveData reserveData() throws InputException {
    Duration hold;
    try {
      hold = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new InputException("--timeout: " + e.getMessage());
    }
    if (hold.isZero()) {
      throw new InputException("--timeout must be longer than 0s");
    }
    if (hold.compareTo(AGENT_CAP) > 0 && !output.quiet) {
      context
          .err()
          .println(
              "tfleet: --timeout "
                  + timeout
                  + ": agents cap reservations at their max_reserve_timeout, 6h unless"
                  + " configured");
    }
    try {
      return new ReserveData(sshKeys, hold);
    } catch (IllegalArgumentException e) {
      throw new InputException("--ssh-key: " + e.getMessage());
    }
  }

  /** The command that ends the tree's reservations, naming the server if the tree does not. */
  private String cancelCommand(TestflingerClient client, OutputTree tree) {
    boolean recorded;
    try {
      recorded = tree.manifest().isPresent();
    } catch (IOException e) {
      recorded = false;
    }
    return CarryOn.cancel(output.outputDir, recorded ? null : client.server());
  }

  private static TreeLock lock(OutputTree tree) throws InputException, IOException {
    try {
      return TreeLock.acquire(tree);
    } catch (TreeLock.HeldException e) {
      throw new InputException(e.getMessage());
    }
  }

  /** Access lines and endings on standard output, the rest on standard error. */
  private final class Printer implements Reservations.Listener {
    @Override
    public void notice(String message) {
      if (!output.quiet) {
        context.err().println("tfleet: " + message);
      }
    }

    @Override
    public void submitted(String machine, String jobId, boolean adopted) {
      notice(
          machine
              + ": reservation job "
              + jobId
              + (adopted ? " (it had one already: watched, not sent again)" : " submitted"));
    }

    @Override
    public void reachable(String machine, Access access) {
      context
          .out()
          .println(
              machine
                  + ": "
                  + access.sshCommand()
                  + (access.until() == null ? "" : "  (reserved until " + access.until() + ")"));
      context.out().flush();
    }

    @Override
    public void ended(Reserved reserved) {
      if (reserved.endState() != null) {
        context
            .out()
            .println(
                reserved.machine()
                    + ": reservation ended ("
                    + reserved.endState()
                    + ")"
                    + (reserved.problem() == null ? "" : ": " + reserved.problem()));
        context.out().flush();
      } else {
        context
            .err()
            .println(
                "tfleet: "
                    + reserved.machine()
                    + ": "
                    + (reserved.jobId() == null ? "not reserved: " : "")
                    + reserved.problem());
      }
    }
  }
}
