package io.tfleet.cli;

import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Attempts;
import io.tfleet.fleet.Availability;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.NewRound;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Run;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.report.RunReport;
import io.tfleet.report.SummaryTable;
import io.tfleet.report.Verdict;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import io.tfleet.store.TreeException;
import io.tfleet.store.TreeLock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run of the fleet, submit, monitor or both, wired from the options the commands share. The
 * decisions (who is checked, skipped, resubmitted, watched) are the {@code fleet} package's; this
 * class reads the input, opens the tree, prints, and returns the exit code.
 */
final class FleetRun {
  /**
   * The largest fleet whose end of run lists the machines that passed too: 20 rows and the totals
   * fit one screen. Bigger fleets list only the machines that did not pass, unless {@code -v}.
   */
  static final int EVERY_ROW_UP_TO = 20;

  /** What a run does. */
  enum Mode {
    /** Submit every machine's job, then monitor them to the end. */
    RUN,
    /** Only submit. */
    SUBMIT,
    /** Only monitor the jobs already in the output tree. */
    MONITOR
  }

  private final Context context;
  private final OutputOptions output;
  private final ServerOptions server;
  private final JobOptions job;
  private final WatchOptions watch;

  /** The command line as typed, for the command that carries an interrupted run on. */
  private final List<String> args;

  /** The run that {@code --baseline} names, read before anything is sent; null without it. */
  private TreeSnapshot baseline;

  /** {@code job} may be null for {@link Mode#MONITOR}, {@code watch} for {@link Mode#SUBMIT}. */
  FleetRun(
      Context context,
      List<String> args,
      OutputOptions output,
      ServerOptions server,
      JobOptions job,
      WatchOptions watch) {
    this.context = context;
    this.args = List.copyOf(args);
    this.output = output;
    this.server = server;
    this.job = job == null ? new JobOptions() : job;
    this.watch = watch == null ? new WatchOptions() : watch;
  }

  /** What one run works with once its input is read: where, and against which server. */
  private record Session(Mode mode, TestflingerClient client, OutputTree tree) {}

  int execute(Mode mode) throws InputException, FleetAbortedException {
    Duration poll = pollInterval(mode);
    FleetSettings settings = watch.applyTo(server.settings());
    if (mode == Mode.MONITOR && newRound() != NewRound.NONE) {
      throw new InputException(
          "--resubmit and --retry-failed submit jobs: not with --check-status");
    }
    if (mode == Mode.SUBMIT && watch.baseline != null) {
      throw new InputException("--baseline compares finished runs: not with --send-jobs");
    }
    if (mode != Mode.RUN && (job.retries != 0 || job.repeat != 1)) {
      throw new InputException(
          "--retries and --repeat submit the next attempt when one ends: only for a run that"
              + " submits and watches (not with --send-jobs or --check-status)");
    }
    try {
      settings = settings.withAttempts(new Attempts(job.retries, job.repeat));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    baseline = watch.baseline();
    RunInput input = new RunInput(context, job, output.quiet);
    List<MachineId> machines = mode == Mode.MONITOR ? List.of() : input.machines();
    Template template = mode == Mode.MONITOR ? null : input.template();
    List<RenderedJob> jobs = RunInput.render(template, machines);
    if (mode != Mode.MONITOR && jobs.isEmpty()) {
      context.out().println("No machines in shard " + job.shard + ": nothing to do.");
      return ExitCodes.OK;
    }
    if (job.dryRun) {
      return input.dryRun(jobs);
    }
    Optional<RunManifest> recorded = Trees.manifest(output.outputDir);
    TestflingerClient client =
        server.client(context.env(), output.verbose ? context.err() : null, recorded);
    boolean made = mode != Mode.MONITOR && !Files.exists(output.outputDir);
    OutputTree tree =
        mode == Mode.MONITOR ? Trees.existing(output.outputDir) : Trees.create(output.outputDir);
    try {
      return inTree(new Session(mode, client, tree), jobs, template, settings, poll);
    } finally {
      if (made) {
        // A run that stopped before writing anything (the server unreachable, say) leaves no
        // folder holding only its lock.
        Trees.removeIfUnused(tree);
      }
    }
  }

  /** The run itself, holding the tree's lock. */
  private int inTree(
      Session session,
      List<RenderedJob> jobs,
      Template template,
      FleetSettings settings,
      Duration poll)
      throws InputException, FleetAbortedException {
    Mode mode = session.mode();
    OutputTree tree = session.tree();
    try (TreeLock lock = lock(tree);
        InterruptGuard guard = InterruptGuard.install()) {
      int total = mode == Mode.MONITOR ? Trees.machines(tree).size() : jobs.size();
      ProgressDisplay progress = progress(total);
      ConsoleEvents plain =
          progress == null && !output.quiet
              ? new ConsoleEvents(context.err(), total, /* totals= */ true)
              : null;
      Display display = new Display(progress, plain);
      FleetEvents console = quietOr(progress != null ? progress : plain);
      Run run =
          new Run(
              session.client(),
              tree,
              settings,
              console,
              new Run.Plan(
                  newRound(),
                  availability(),
                  poll,
                  watch.cancelOnInterrupt,
                  baseline,
                  job.skipFailingProvisions));
      Run.Result result;
      try (display) {
        RunManifest manifest = mode == Mode.MONITOR ? null : manifest(session, template, jobs);
        result =
            switch (mode) {
              case RUN -> run.run(jobs, manifest);
              case SUBMIT -> run.submit(jobs, manifest);
              case MONITOR -> run.monitor();
            };
      } catch (InterruptedException e) {
        context.err().println("tfleet: " + e.getMessage());
        return ExitCodes.INTERRUPTED;
      } finally {
        context.out().flush();
        context.err().flush();
      }
      return result.interrupted() ? stopped(session, result) : ended(session, result);
    } catch (IOException e) {
      throw new TreeException(tree.root(), e);
    }
  }

  private int ended(Session session, Run.Result result) throws IOException {
    if (session.mode() == Mode.SUBMIT) {
      long failed = result.submissions().stream().filter(s -> !s.ok()).count();
      context
          .out()
          .println(
              (result.submissions().size() - failed)
                  + " of "
                  + result.submissions().size()
                  + " jobs submitted"
                  + (failed > 0 ? "; " + failed + " failed (see error.txt in their folders)" : ""));
      return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
    }
    endOfRun(result.report());
    if (result.comparison() != null) {
      context.out().println(result.comparison().sinceLine());
    }
    long notSubmitted = count(result.outcomes(), Verdict.NOT_SUBMITTED);
    if (notSubmitted > 0) {
      Prose.println(
          context,
          notSubmitted
              + " machine"
              + (notSubmitted == 1 ? " has" : "s have")
              + " no job: --check-status watches jobs and never submits. Submit "
              + (notSubmitted == 1 ? "it" : "them")
              + " (machines that have a job keep it) with:\n  "
              + submitCommand(session));
    }
    if (!output.quiet) {
      Prose.println(context, "All jobs are finished. Reports: " + reports(session.tree()));
    }
    return result.allPassed() ? ExitCodes.OK : ExitCodes.FAILURES;
  }

  /** After Ctrl-C: say what stopping did, and where every machine stands. */
  private int stopped(Session session, Run.Result result) {
    Fleet.Cancelled cancelled = result.cancelled();
    if (cancelled != null) {
      cancelled.failures().forEach(f -> context.err().println("tfleet: could not cancel " + f));
      context
          .err()
          .println(
              "Cancelled the jobs of " + cancelled.machines().size() + " unfinished machines.");
    }
    if (result.stopProblem() != null) {
      context.err().println("tfleet: while stopping: " + result.stopProblem());
    }
    List<Outcome> where = result.outcomes();
    if (result.report() != null) {
      endOfRun(result.report());
      result.whyWaiting().forEach((m, why) -> context.out().println(m + ": waiting, " + why));
      Prose.println(context, "Reports: " + reports(session.tree()));
    }
    long notSubmitted = count(where, Verdict.NOT_SUBMITTED);
    String carryOn =
        notSubmitted > 0 && session.mode() != Mode.MONITOR
            ? CarryOn.again(args, session.client().server())
            : CarryOn.checkStatus(session.client().server(), output.outputDir);
    Prose.println(
        context,
        "Interrupted with "
            + count(where, Verdict.UNFINISHED)
            + " machines unfinished and "
            + notSubmitted
            + " not submitted; every file written is whole. Carry on with:\n  "
            + carryOn);
    return ExitCodes.INTERRUPTED;
  }

  /**
   * The totals, the machines that did not pass, and the passed ones when the fleet is small or
   * {@code -v}.
   */
  private void endOfRun(RunReport report) {
    context.err().flush();
    boolean everyRow = output.verbose || report.machines().size() <= EVERY_ROW_UP_TO;
    SummaryTable.printEndOfRun(
        report.machines(), report.repeat(), everyRow, context.out(), Terminal.tableWidth(context));
    context.out().flush();
  }

  /** Where the reports are, named so that a click or a copy opens them. */
  private static String reports(OutputTree tree) {
    Path root = tree.root();
    return root.resolve("report.html")
        + " (also summary.md, summary.json, junit.xml; each machine's files in "
        + root.resolve("<machine>")
        + "/)";
  }

  private static long count(List<Outcome> outcomes, Verdict verdict) {
    return outcomes.stream().filter(o -> o.verdict() == verdict).count();
  }

  /** The command that submits a tree's missing machines: the one its manifest recorded. */
  private String submitCommand(Session session) throws IOException {
    return session
        .tree()
        .manifest()
        .map(RunManifest::command)
        .orElse(
            "tfleet --server "
                + session.client().server()
                + " --machines-file FILE --template-file FILE"
                + " --output-dir "
                + output.outputDir);
  }

  /** What the tree records about this run, for the commands that come after it. */
  private RunManifest manifest(Session session, Template template, List<RenderedJob> jobs) {
    List<String> machines = new ArrayList<>(jobs.size());
    jobs.forEach(j -> machines.add(j.machine().value()));
    URI url = session.client().server();
    return new RunManifest(
        url.toString(),
        machines,
        template.digest(),
        job.shard,
        null,
        CarryOn.again(args, url),
        Instant.now().toString(),
        job.retries == 0 ? null : job.retries,
        job.repeat == 1 ? null : job.repeat);
  }

  private NewRound newRound() {
    return job.rounds.resubmit
        ? NewRound.ALL
        : job.rounds.retryFailed ? NewRound.NOT_PASSED : NewRound.NONE;
  }

  private Availability availability() {
    JobOptions.Availability a = job.availability;
    return a.none
        ? Availability.NONE
        : a.skip ? Availability.SKIP : a.await ? Availability.WAIT : Availability.CHECK;
  }

  /**
   * {@code submit} has no --poll-interval: it waits for agents, if asked, at the original's pace.
   */
  private Duration pollInterval(Mode mode) throws InputException {
    return mode == Mode.SUBMIT ? Duration.ofSeconds(30) : watch.pollInterval();
  }

  /**
   * The live status line, when a person watches standard error: it is the process's own and a
   * terminal (whatever standard output is: {@code > summary.txt} keeps the line), and TERM is set
   * and not {@code dumb}.
   */
  private ProgressDisplay progress(int total) {
    if (output.quiet
        || output.noProgress
        || context.err() != System.err
        || "dumb".equals(context.env().get("TERM").orElse("dumb"))
        || !Terminal.stderrIsTerminal()) {
      return null;
    }
    Terminal terminal = new Terminal(context.env());
    return new ProgressDisplay(context.err(), total, terminal::columns, baseline);
  }

  /**
   * The live status line or the plain lines, whichever the run has; closing either stops its clock.
   */
  private record Display(ProgressDisplay progress, ConsoleEvents plain) implements AutoCloseable {
    @Override
    public void close() {
      if (progress != null) {
        progress.close();
      }
      if (plain != null) {
        plain.close();
      }
    }
  }

  private FleetEvents quietOr(FleetEvents events) {
    return output.quiet ? FleetEvents.NONE : events;
  }

  static TreeLock lock(OutputTree tree) throws InputException, IOException {
    try {
      return TreeLock.acquire(tree);
    } catch (TreeLock.HeldException e) {
      throw new InputException(e.getMessage());
    }
  }
}
