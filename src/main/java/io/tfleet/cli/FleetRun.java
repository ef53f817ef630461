package io.tfleet.cli;

import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Availability;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.LiveReport;
import io.tfleet.fleet.NewRound;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.PreflightPlan;
import io.tfleet.fleet.RunReports;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.report.Reports;
import io.tfleet.report.RunReport;
import io.tfleet.report.SummaryTable;
import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import io.tfleet.store.TreeLock;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /** What one run works with once its input is read: where, against which server, since when. */
  private record Session(
      Mode mode, TestflingerClient client, OutputTree tree, Duration poll, Instant started) {}

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
      return inTree(new Session(mode, client, tree, poll, Instant.now()), jobs, template, settings);
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
      Session session, List<RenderedJob> jobs, Template template, FleetSettings settings)
      throws InputException, FleetAbortedException {
    Mode mode = session.mode();
    TestflingerClient client = session.client();
    OutputTree tree = session.tree();
    Duration poll = session.poll();
    try (TreeLock lock = lock(tree);
        InterruptGuard guard = InterruptGuard.install()) {
      List<MachineFolder> folders =
          mode == Mode.MONITOR ? Trees.machines(tree) : folders(tree, jobs);
      if (mode != Mode.MONITOR) {
        newRound().start(folders);
        try {
          jobs =
              new PreflightPlan(client, tree, settings, quietOr(new ConsoleEvents(context.err())))
                  .apply(jobs, availability(), poll);
        } catch (InterruptedException e) {
          context.err().println("tfleet: interrupted before anything was submitted");
          return ExitCodes.INTERRUPTED;
        }
      }
      ProgressDisplay progress = progress(folders.size());
      ConsoleEvents plain =
          progress == null && !output.quiet
              ? new ConsoleEvents(context.err(), folders.size(), /* totals= */ true)
              : null;
      Display display = new Display(progress, plain);
      FleetEvents console = quietOr(progress != null ? progress : plain);
      LiveReport live =
          mode == Mode.SUBMIT
              ? null
              : new LiveReport(tree, client.server().toString(), session.started(), console);
      FleetEvents events = live != null ? live : console;
      try (display;
          Fleet fleet = new Fleet(client, tree, events, settings)) {
        if (mode != Mode.MONITOR) {
          // Before the first submission: from here on, the tree accounts for every machine.
          manifest(client, template, folders, fleet.runTag()).write(tree.root());
        }
        if (live != null) {
          live.begin();
          events.notice(
              "report: "
                  + tree.root().resolve(Reports.REPORT_HTML)
                  + " (live: rewritten as the run goes)");
        }
        try {
          return run(session, fleet, events, jobs, folders, display);
        } catch (InterruptedException e) {
          return stopped(session, fleet, folders, display);
        } catch (FleetAbortedException e) {
          if (live != null) {
            // The live page must not go on reloading as if the run were still going.
            writeReports(session, RunReports.fromTree(tree));
          }
          throw e;
        } finally {
          context.out().flush();
          context.err().flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int run(
      Session session,
      Fleet fleet,
      FleetEvents events,
      List<RenderedJob> jobs,
      List<MachineFolder> folders,
      Display display)
      throws FleetAbortedException, InterruptedException, IOException {
    if (session.mode() != Mode.MONITOR) {
      List<Fleet.Submission> submissions = fleet.submit(jobs);
      if (fleet.archivesPacked() > 0) {
        events.notice(
            "packed "
                + fleet.archivesPacked()
                + " attachment archive"
                + (fleet.archivesPacked() == 1 ? "" : "s")
                + " for "
                + jobs.size()
                + " machines");
      }
      if (session.mode() == Mode.SUBMIT) {
        display.close();
        writeReports(session, RunReports.fromTree(session.tree()));
        long failed = submissions.stream().filter(s -> !s.ok()).count();
        context
            .out()
            .println(
                (submissions.size() - failed)
                    + " of "
                    + submissions.size()
                    + " jobs submitted"
                    + (failed > 0
                        ? "; " + failed + " failed (see error.txt in their folders)"
                        : ""));
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
      }
    }
    List<Outcome> outcomes = fleet.monitor(folders, session.poll());
    display.close();
    RunReport report = writeReports(session, outcomes);
    endOfRun(report);
    if (baseline != null) {
      context.out().println(baseline.compareWith(report, session.tree().root()).sinceLine());
    }
    long notSubmitted = count(outcomes, Verdict.NOT_SUBMITTED);
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
    return outcomes.stream().allMatch(o -> o.verdict().passed())
        ? ExitCodes.OK
        : ExitCodes.FAILURES;
  }

  /** After Ctrl-C: stop sending, optionally cancel, and say where every machine stands. */
  private int stopped(Session session, Fleet fleet, List<MachineFolder> folders, Display display) {
    Thread.interrupted();
    // The status line goes first, so that what follows has lines of its own and nothing redraws it.
    display.close();
    RunReport report = null;
    try {
      fleet.stop();
      if (watch.cancelOnInterrupt) {
        Fleet.Cancelled cancelled =
            fleet.cancelUnfinished(folders, "cancelled by tfleet when the run was interrupted");
        cancelled.failures().forEach(f -> context.err().println("tfleet: could not cancel " + f));
        context
            .err()
            .println(
                "Cancelled the jobs of " + cancelled.machines().size() + " unfinished machines.");
      }
      report = writeReports(session, fleet.snapshot());
    } catch (InterruptedException | IOException | FleetAbortedException e) {
      context.err().println("tfleet: while stopping: " + e.getMessage());
    }
    List<Outcome> where = fleet.snapshot();
    if (report != null) {
      endOfRun(report);
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
        report.machines(), everyRow, context.out(), Terminal.tableWidth(context));
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

  private RunReport writeReports(Session session, List<Outcome> outcomes) throws IOException {
    RunReport report =
        RunReports.build(
            session.tree(),
            outcomes,
            session.client().server().toString(),
            session.started(),
            Instant.now());
    Reports.writeAll(
        report,
        baseline == null ? null : baseline.compareWith(report, session.tree().root()),
        session.tree().root());
    return report;
  }

  /** What the tree records about this run, for the commands that come after it. */
  private RunManifest manifest(
      TestflingerClient client, Template template, List<MachineFolder> folders, String runTag) {
    List<String> machines = new ArrayList<>(folders.size());
    folders.forEach(f -> machines.add(f.machine()));
    return new RunManifest(
        client.server().toString(),
        machines,
        template.digest(),
        job.shard,
        runTag,
        CarryOn.again(args, client.server()),
        Instant.now().toString());
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

  private static List<MachineFolder> folders(OutputTree tree, List<RenderedJob> jobs) {
    List<MachineFolder> folders = new ArrayList<>(jobs.size());
    jobs.forEach(rendered -> folders.add(tree.machine(rendered.machine().value())));
    return folders;
  }
}
