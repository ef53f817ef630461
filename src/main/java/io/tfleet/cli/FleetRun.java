package io.tfleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Preflight;
import io.tfleet.fleet.ReservedIds;
import io.tfleet.fleet.Results;
import io.tfleet.fleet.Retry;
import io.tfleet.fleet.RunReports;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.job.Attachment;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.MachinesFile;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Shard;
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
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** One run of the fleet: submit, monitor, or both, with every option the commands share. */
final class FleetRun {
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

  int execute(Mode mode) throws InputException, FleetAbortedException {
    // submit has no --poll-interval: it waits for agents, if asked, at the original's pace.
    Duration poll = mode == Mode.SUBMIT ? Duration.ofSeconds(30) : watch.pollInterval();
    FleetSettings settings = watch.applyTo(server.settings());
    if (mode == Mode.MONITOR && (job.rounds.resubmit || job.rounds.retryFailed)) {
      throw new InputException("--resubmit and --retry-failed submit jobs: not with --check-status");
    }
    if (mode == Mode.SUBMIT && watch.baseline != null) {
      throw new InputException("--baseline compares finished runs: not with --send-jobs");
    }
    baseline = watch.baseline();
    List<RenderedJob> jobs = mode == Mode.MONITOR ? List.of() : render();
    if (mode != Mode.MONITOR && jobs.isEmpty()) {
      context.out().println("No machines in shard " + job.shard + ": nothing to do.");
      return ExitCodes.OK;
    }
    if (job.dryRun) {
      return dryRun(jobs);
    }
    Optional<RunManifest> recorded = Trees.manifest(output.outputDir);
    TestflingerClient client =
        server.client(context.env(), output.verbose ? context.err() : null, recorded);
    OutputTree tree = openTree(/* create= */ mode != Mode.MONITOR);
    Instant started = Instant.now();
    try (TreeLock lock = lock(tree);
        InterruptGuard guard = InterruptGuard.install()) {
      List<MachineFolder> folders = mode == Mode.MONITOR ? watched(tree) : folders(tree, jobs);
      RunManifest manifest = null;
      if (mode != Mode.MONITOR) {
        startNewRounds(folders);
        manifest = manifest(jobs, client);
        try {
          jobs = preflight(client, tree, jobs, settings, poll);
        } catch (InterruptedException e) {
          context.err().println("tfleet: interrupted before anything was submitted");
          return ExitCodes.INTERRUPTED;
        }
      }
      ProgressDisplay progress = progress(folders.size());
      FleetEvents events = events(progress);
      try (progress;
          Fleet fleet = new Fleet(client, tree, events, settings)) {
        if (manifest != null) {
          // Before the first submission: from here on, the tree accounts for every machine.
          manifest.withRunTag(fleet.runTag()).write(tree.root());
        }
        try {
          return run(mode, fleet, tree, jobs, folders, poll, events, progress, client, started);
        } catch (InterruptedException e) {
          return stopped(mode, fleet, tree, folders, client, started);
        } finally {
          context.out().flush();
          context.err().flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the tree records about this run, for the commands that come after it. */
  private RunManifest manifest(List<RenderedJob> all, TestflingerClient client) throws IOException {
    List<String> machines = new ArrayList<>(all.size());
    all.forEach(r -> machines.add(r.machine().value()));
    return new RunManifest(
        client.server().toString(),
        machines,
        templateDigest(),
        job.shard == null ? null : job.shard.toString(),
        null,
        CarryOn.again(args, client.server()),
        Instant.now().toString());
  }

  /** SHA-256 over the template file and the variables, to tell later whether either changed. */
  private String templateDigest() throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(job.templateFile));
      new TreeMap<>(job.variables).forEach((name, value) ->
          sha.update(("\0" + name + "=" + value).getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private int run(
      Mode mode,
      Fleet fleet,
      OutputTree tree,
      List<RenderedJob> jobs,
      List<MachineFolder> folders,
      Duration poll,
      FleetEvents events,
      ProgressDisplay progress,
      TestflingerClient client,
      Instant started)
      throws FleetAbortedException, InterruptedException, IOException {
    if (mode != Mode.MONITOR) {
      List<Fleet.Submission> submissions = fleet.submit(jobs);
      if (fleet.archivesPacked() > 0) {
        events.notice("packed " + fleet.archivesPacked() + " attachment archive"
            + (fleet.archivesPacked() == 1 ? "" : "s") + " for " + jobs.size() + " machines");
      }
      if (mode == Mode.SUBMIT) {
        closeProgress(progress);
        writeReports(tree, RunReports.fromTree(tree), client, started);
        long failed = submissions.stream().filter(s -> !s.ok()).count();
        context.out().println(
            (submissions.size() - failed) + " of " + submissions.size() + " jobs submitted"
                + (failed > 0 ? "; " + failed + " failed (see error.txt in their folders)" : ""));
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
      }
    }
    List<Outcome> outcomes = fleet.monitor(folders, poll);
    closeProgress(progress);
    RunReport report = writeReports(tree, outcomes, client, started);
    if (!output.quiet) {
      context.err().println("All jobs are finished; results and reports (summary.json, junit.xml,"
          + " report.html) are in " + tree.root() + ".");
    }
    SummaryTable.print(report.machines(), context.out());
    if (baseline != null) {
      context.out().println(baseline.compareWith(report, tree.root()).sinceLine());
    }
    long notSubmitted = outcomes.stream().filter(o -> o.verdict() == Verdict.NOT_SUBMITTED).count();
    if (notSubmitted > 0) {
      context.err().println(notSubmitted + " machine" + (notSubmitted == 1 ? " has" : "s have")
          + " no job: --check-status watches jobs and never submits. Submit "
          + (notSubmitted == 1 ? "it" : "them") + " (machines that have a job keep it) with:\n  "
          + submitCommand(tree, client));
    }
    return outcomes.stream().allMatch(o -> o.verdict().passed()) ? ExitCodes.OK : ExitCodes.FAILURES;
  }

  /** The command that submits a tree's missing machines: the one its manifest recorded. */
  private String submitCommand(OutputTree tree, TestflingerClient client) throws IOException {
    return tree.manifest()
        .map(RunManifest::command)
        .orElse("tfleet --server " + client.server() + " --machines-file FILE --template-file FILE"
            + " --output-dir " + output.outputDir);
  }

  /** After Ctrl-C: stop sending, optionally cancel, and say where every machine stands. */
  private int stopped(
      Mode mode,
      Fleet fleet,
      OutputTree tree,
      List<MachineFolder> folders,
      TestflingerClient client,
      Instant started) {
    Thread.interrupted();
    RunReport report = null;
    try {
      fleet.stop();
      if (watch.cancelOnInterrupt) {
        Fleet.Cancelled cancelled =
            fleet.cancelUnfinished(folders, "cancelled by tfleet when the run was interrupted");
        cancelled.failures().forEach(f -> context.err().println("tfleet: could not cancel " + f));
        context.err().println("Cancelled the jobs of " + cancelled.machines().size() + " unfinished machines.");
      }
      report = writeReports(tree, fleet.snapshot(), client, started);
    } catch (InterruptedException | IOException | FleetAbortedException e) {
      context.err().println("tfleet: while stopping: " + e.getMessage());
    }
    List<Outcome> where = fleet.snapshot();
    context.err().println();
    if (report != null) {
      SummaryTable.print(report.machines(), context.out());
    }
    long unfinished = where.stream().filter(o -> o.verdict() == Verdict.UNFINISHED).count();
    long notSubmitted = where.stream().filter(o -> o.verdict() == Verdict.NOT_SUBMITTED).count();
    String carryOn = notSubmitted > 0 && mode != Mode.MONITOR
        ? CarryOn.again(args, client.server())
        : CarryOn.checkStatus(client.server(), output.outputDir);
    context.err().println("Interrupted with " + unfinished + " machines unfinished and " + notSubmitted
        + " not submitted; every file written is whole. Carry on with:\n  " + carryOn);
    return ExitCodes.INTERRUPTED;
  }

  private RunReport writeReports(
      OutputTree tree, List<Outcome> outcomes, TestflingerClient client, Instant started) throws IOException {
    RunReport report = RunReports.build(tree, outcomes, client.server().toString(), started, Instant.now());
    Reports.writeAll(report, baseline == null ? null : baseline.compareWith(report, tree.root()), tree.root());
    return report;
  }

  /** Reads and renders everything first: bad input must stop the run before anything is sent. */
  private List<RenderedJob> render() throws InputException {
    List<MachineId> machines = MachinesFile.read(job.machinesFile);
    for (MachineId machine : machines) {
      String problem = ReservedIds.problemWith(machine.value());
      if (problem != null) {
        throw new InputException(job.machinesFile + ":" + machine.line() + ": " + problem + "; nothing was submitted");
      }
    }
    Shard shard = job.shard();
    if (shard != null) {
      machines = shard.of(machines);
    }
    Template template = Template.read(job.templateFile, job.attachmentsRelativeTo, job.variables);
    Set<String> unknown = template.unknownPlaceholders();
    if (!unknown.isEmpty() && !output.quiet) {
      for (String name : unknown) {
        context.err().println("tfleet: warning: " + job.templateFile + ": $" + name
            + " is not replaced (no --var " + name + "=...); it reaches the job as written");
      }
    }
    List<RenderedJob> jobs = new ArrayList<>(machines.size());
    for (MachineId machine : machines) {
      jobs.add(template.render(machine));
    }
    return jobs;
  }

  private int dryRun(List<RenderedJob> jobs) {
    PrintStream out = context.out();
    for (RenderedJob rendered : jobs) {
      ObjectNode body = rendered.json().deepCopy();
      body.put("job_id", "<chosen at submission>");
      body.withArray("tags").add("<run tag>");
      out.println("# " + rendered.machine() + ": POST /v1/job");
      out.println(body.toPrettyString());
      for (Attachment a : rendered.attachments()) {
        out.println("# " + rendered.machine() + ": attachment " + a.archivePath() + " <- " + a.local());
      }
    }
    out.println("Dry run: " + jobs.size() + " jobs rendered, nothing sent.");
    return ExitCodes.OK;
  }

  /**
   * Checks that every queue can run jobs, for the machines that need a new job. Stops with the
   * list of bad machines, or with {@code --skip-unavailable} records them and drops them, or with
   * {@code --wait-for-available-agents} waits.
   */
  private List<RenderedJob> preflight(
      TestflingerClient client,
      OutputTree tree,
      List<RenderedJob> jobs,
      FleetSettings settings,
      Duration poll)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    if (job.availability.none) {
      return jobs;
    }
    List<RenderedJob> fresh = new ArrayList<>();
    Set<String> freshIds = new TreeSet<>();
    for (RenderedJob rendered : jobs) {
      MachineFolder folder = tree.machine(rendered.machine().value());
      if (folder.jobId().isEmpty() && folder.pendingJobId().isEmpty()) {
        fresh.add(rendered);
        freshIds.add(rendered.machine().value());
      }
    }
    Set<String> queues = new TreeSet<>();
    fresh.forEach(r -> queues.add(r.queue()));
    Retry retry = new Retry(settings.backoff(), output.quiet ? FleetEvents.NONE : new ConsoleEvents(context.err()));
    Map<String, String> problems = queueProblems(client, queues, retry);
    while (!problems.isEmpty() && job.availability.await) {
      if (!output.quiet) {
        context.err().println("tfleet: waiting for available machines on " + problems.size()
            + " queue(s): " + String.join(", ", problems.keySet()));
      }
      Thread.sleep(poll.toMillis());
      problems = queueProblems(client, problems.keySet(), retry);
    }
    if (problems.isEmpty()) {
      return jobs;
    }
    List<String> bad = new ArrayList<>();
    for (RenderedJob rendered : fresh) {
      String problem = problems.get(rendered.queue());
      if (problem != null) {
        bad.add(rendered.machine() + " (queue " + rendered.queue() + "): " + problem);
      }
    }
    if (!job.availability.skip) {
      throw new InputException(
          bad.size() + " machine(s) cannot run jobs now; nothing was submitted:\n  "
              + String.join("\n  ", bad)
              + "\n(--skip-unavailable submits to the others; --wait-for-available-agents waits)");
    }
    List<RenderedJob> kept = new ArrayList<>();
    for (RenderedJob rendered : jobs) {
      String problem = problems.get(rendered.queue());
      MachineFolder folder = tree.machine(rendered.machine().value());
      if (problem != null && freshIds.contains(rendered.machine().value())) {
        folder.create().writeError("skipped: queue " + rendered.queue() + ": " + problem);
        context.err().println("tfleet: skipping " + rendered.machine() + " (queue "
            + rendered.queue() + "): " + problem);
      } else {
        kept.add(rendered);
      }
    }
    return kept;
  }

  private Map<String, String> queueProblems(TestflingerClient client, Set<String> queues, Retry retry)
      throws FleetAbortedException, InterruptedException {
    try {
      return Preflight.problems(client, queues, server.concurrency, retry);
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (ApiException | IOException e) {
      throw new FleetAbortedException("cannot check the queues: " + e.getMessage(), e);
    }
  }

  /** With --resubmit or --retry-failed, moves the chosen machines' earlier files aside. */
  private void startNewRounds(List<MachineFolder> folders) throws IOException {
    if (!job.rounds.resubmit && !job.rounds.retryFailed) {
      return;
    }
    for (MachineFolder folder : folders) {
      if (!Files.isDirectory(folder.dir())
          || (folder.jobId().isEmpty() && folder.pendingJobId().isEmpty() && folder.error().isEmpty())) {
        continue;
      }
      Optional<Outcome> filed = Results.filed(folder);
      boolean retry =
          job.rounds.resubmit || filed.map(o -> o.verdict() != Verdict.PASSED).orElse(false);
      if (retry) {
        folder.archiveRound();
      }
    }
  }

  private ProgressDisplay progress(int total) {
    boolean terminal = System.console() != null && !"dumb".equals(context.env().get("TERM").orElse("dumb"));
    return terminal && !output.quiet && !output.noProgress ? new ProgressDisplay(context.err(), total, baseline) : null;
  }

  private FleetEvents events(ProgressDisplay progress) {
    if (output.quiet) {
      return FleetEvents.NONE;
    }
    return progress != null ? progress : new ConsoleEvents(context.err());
  }

  private static void closeProgress(ProgressDisplay progress) {
    if (progress != null) {
      progress.close();
    }
  }

  private OutputTree openTree(boolean create) throws InputException {
    return create ? Trees.create(output.outputDir) : Trees.existing(output.outputDir);
  }

  static TreeLock lock(OutputTree tree) throws InputException, IOException {
    try {
      return TreeLock.acquire(tree);
    } catch (TreeLock.HeldException e) {
      throw new InputException(e.getMessage());
    }
  }

  private static List<MachineFolder> watched(OutputTree tree) throws InputException {
    return Trees.machines(tree);
  }

  private static List<MachineFolder> folders(OutputTree tree, List<RenderedJob> jobs) {
    List<MachineFolder> folders = new ArrayList<>(jobs.size());
    jobs.forEach(rendered -> folders.add(tree.machine(rendered.machine().value())));
    return folders;
  }

}
