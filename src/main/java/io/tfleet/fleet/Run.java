package io.tfleet.fleet;

import io.tfleet.client.TestflingerClient;
import io.tfleet.job.InputException;
import io.tfleet.job.RenderedJob;
import io.tfleet.report.Comparison;
import io.tfleet.report.Reports;
import io.tfleet.report.RunReport;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One run of a fleet on an output tree whose lock is held: {@link #submit}, {@link #monitor} or
 * {@link #run} (both). It owns the order of the phases (new round, preflight, manifest, live
 * report, submission, monitoring, reports) and what happens when the run is interrupted or stopped;
 * the command line reads the input, prints, and turns the {@link Result} into an exit code.
 */
public final class Run {
  /** What a run is asked to do, besides its jobs. */
  public record Plan(
      NewRound newRound,
      Availability availability,
      Duration poll,
      boolean cancelOnInterrupt,
      TreeSnapshot baseline,
      boolean skipFailingProvisions) {
    public Plan {
      Objects.requireNonNull(newRound, "newRound");
      Objects.requireNonNull(availability, "availability");
      Objects.requireNonNull(poll, "poll");
    }
  }

  /**
   * How a run ended.
   *
   * @param outcomes where every machine stands, sorted by id
   * @param submissions what submitting did, sorted by id; empty when nothing was submitted
   * @param report the report written into the tree, or null when writing it failed after an
   *     interrupt
   * @param comparison the report's comparison with the baseline, or null without one
   * @param interrupted whether the run was stopped by an interrupt (Ctrl-C)
   * @param cancelled what cancelling on interrupt did, or null when nothing was cancelled
   * @param stopProblem what went wrong while stopping, or null
   * @param whyWaiting for each machine whose job waited long, why it still waited at the end
   * @param earlierAttemptFailed whether, in a repeat run, an attempt before a machine's last did
   *     not pass
   */
  public record Result(
      List<Outcome> outcomes,
      List<Fleet.Submission> submissions,
      RunReport report,
      Comparison comparison,
      boolean interrupted,
      Fleet.Cancelled cancelled,
      String stopProblem,
      int archivesPacked,
      java.util.Map<String, String> whyWaiting,
      boolean earlierAttemptFailed) {
    public Result {
      outcomes = List.copyOf(outcomes);
      submissions = List.copyOf(submissions);
      whyWaiting = java.util.Map.copyOf(whyWaiting);
    }

    /**
     * Whether every machine passed; in a repeat run ({@code --repeat}), every attempt of every
     * machine.
     */
    public boolean allPassed() {
      return outcomes.stream().allMatch(o -> o.verdict().passed()) && !earlierAttemptFailed;
    }
  }

  private final TestflingerClient client;
  private final OutputTree tree;
  private final FleetSettings settings;
  private final FleetEvents events;
  private final Plan plan;
  private final Instant started = Instant.now();

  /** A live report wraps {@code events} when the run monitors; {@link #liveReport} says where. */
  public Run(
      TestflingerClient client,
      OutputTree tree,
      FleetSettings settings,
      FleetEvents events,
      Plan plan) {
    this.client = client;
    this.tree = tree;
    this.settings = settings;
    this.events = events;
    this.plan = plan;
  }

  /**
   * Submits one job per machine of {@code jobs}, then writes the reports. {@code manifest} is what
   * the tree records of this run, written before the first submission with the run's tag.
   *
   * @throws InterruptedException only when interrupted before anything was submitted; after that,
   *     an interrupt ends the run with a {@link Result} that says so
   */
  public Result submit(List<RenderedJob> jobs, RunManifest manifest)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    return go(FleetState.load(tree, jobs), manifest, /* watch= */ false);
  }

  /** Watches the jobs already in the tree until every machine's job has ended. */
  public Result monitor()
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    return go(FleetState.load(tree), null, /* watch= */ true);
  }

  /** Submits, then watches every job to the end. */
  public Result run(List<RenderedJob> jobs, RunManifest manifest)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    return go(FleetState.load(tree, jobs), manifest, /* watch= */ true);
  }

  /** Where the live report of a run that watches is. */
  public java.nio.file.Path liveReport() {
    return tree.root().resolve(Reports.REPORT_HTML);
  }

  private Result go(FleetState state, RunManifest manifest, boolean watch)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    boolean submits = manifest != null;
    state.attempts(settings.attempts());
    state.removeLeftovers();
    if (submits) {
      plan.newRound().start(state);
      // An attempt that ended before a crash, with another due: its files move on, and the next
      // attempt goes out with the others.
      state.startDueAttempts(settings.attempts());
    }
    LiveReport live =
        watch ? new LiveReport(state, client.server().toString(), started, events) : null;
    FleetEvents runEvents = live != null ? live : events;
    try (Fleet fleet = new Fleet(client, state, runEvents, settings)) {
      List<MachineRun> toSubmit = List.of();
      if (submits) {
        try {
          toSubmit =
              fleet.preflight(plan.availability(), plan.poll(), plan.skipFailingProvisions());
        } catch (InterruptedException e) {
          throw new InterruptedException("interrupted before anything was submitted");
        }
      }
      if (submits) {
        // Before the first submission: from here on, the tree accounts for every machine.
        manifest.withRunTag(fleet.runTag()).write(tree.root());
      }
      if (live != null) {
        live.begin();
        runEvents.notice("report: " + liveReport() + " (live: rewritten as the run goes)");
      }
      try {
        List<Fleet.Submission> submissions = submits ? fleet.submit(toSubmit) : List.of();
        if (fleet.archivesPacked() > 0) {
          runEvents.notice(
              "packed "
                  + fleet.archivesPacked()
                  + " attachment archive"
                  + (fleet.archivesPacked() == 1 ? "" : "s")
                  + " for "
                  + toSubmit.size()
                  + " machines");
        }
        List<Outcome> outcomes = watch ? fleet.monitor(plan.poll()) : state.outcomes();
        return ended(state, outcomes, submissions, fleet);
      } catch (InterruptedException e) {
        return stopped(state, fleet);
      } catch (FleetAbortedException e) {
        if (live != null) {
          // The live page must not go on reloading as if the run were still going.
          writeReports(state);
        }
        throw e;
      }
    }
  }

  private Result ended(
      FleetState state, List<Outcome> outcomes, List<Fleet.Submission> submissions, Fleet fleet)
      throws IOException {
    Written written = writeReports(state);
    return new Result(
        outcomes,
        submissions,
        written.report,
        written.comparison,
        false,
        null,
        null,
        fleet.archivesPacked(),
        fleet.whyWaiting(),
        repeatFailed(state));
  }

  /**
   * Whether a repeat run had an earlier attempt that did not pass (retried lab trouble does not
   * count).
   */
  private boolean repeatFailed(FleetState state) {
    return settings.attempts().repeat() > 1
        && state.machines().stream()
            .flatMap(r -> r.earlier().stream())
            .anyMatch(a -> !a.outcome().verdict().passed());
  }

  /** After an interrupt: stop sending, optionally cancel, and say where every machine stands. */
  private Result stopped(FleetState state, Fleet fleet) {
    Thread.interrupted();
    Fleet.Cancelled cancelled = null;
    String problem = null;
    Written written = null;
    try {
      fleet.stop();
      if (plan.cancelOnInterrupt()) {
        cancelled = fleet.cancelUnfinished("cancelled by tfleet when the run was interrupted");
      }
      written = writeReports(state);
    } catch (InterruptedException | IOException | FleetAbortedException e) {
      problem = e.getMessage();
    }
    return new Result(
        state.outcomes(),
        List.of(),
        written == null ? null : written.report,
        written == null ? null : written.comparison,
        true,
        cancelled,
        problem,
        fleet.archivesPacked(),
        fleet.whyWaiting(),
        repeatFailed(state));
  }

  private record Written(RunReport report, Comparison comparison) {}

  private Written writeReports(FleetState state) throws IOException {
    RunReport report = RunReports.build(state, client.server().toString(), started, Instant.now());
    Comparison comparison =
        plan.baseline() == null ? null : plan.baseline().compareWith(report, tree.root());
    Reports.writeAll(report, comparison, tree.root());
    return new Written(report, comparison);
  }
}
