package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.BadAnswerException;
import io.tfleet.client.ResultSink;
import io.tfleet.client.StreamingJson;
import io.tfleet.job.RenderedJob;
import io.tfleet.report.Verdict;
import io.tfleet.store.AtomicFiles;
import io.tfleet.store.EarlierFiles;
import io.tfleet.store.FolderContents;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.MachineFolder.Cancellation;
import io.tfleet.store.MachineFolder.StateSeen;
import io.tfleet.store.TreeNames;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One machine of a run: its id, its rendered job (null when only watched), where its current
 * attempt stands, and what is known about it. Loaded once from its folder; every change is written
 * through to the folder by the method that makes it, so the folder stays the durable truth and is
 * never read back. One thread at a time changes a machine (see {@link Stage}).
 */
final class MachineRun {
  /** How much of the end of {@code output.txt} the reports show. */
  static final int TAIL_BYTES = 16 * 1024;

  final String machine;
  final MachineFolder folder;
  final RenderedJob job;

  private volatile Stage stage;

  // What is known of the current attempt; written by the thread that moves the stage.
  private String runTag;
  private Instant submittedAt;
  private final List<StateSeen> states = new ArrayList<>();
  private Cancellation cancellation;
  private boolean attachmentsPending;
  private String queue;
  private Map<String, Integer> phaseStatuses = Map.of();
  private Instant finishedAt;
  private String outputTail;
  private boolean artifactsMissing;
  private final Set<String> files = new TreeSet<>();

  /** The attempts before the current one in this run, oldest first (see {@link Attempts}). */
  private final List<EarlierAttempt> earlier = new ArrayList<>();

  /** Whether the folder held temporary files of writes that a killed process left. */
  private boolean leftovers;

  // The monitoring round's bookkeeping of calls that fail.
  Instant failingSince;
  String lastProblem;

  private MachineRun(MachineFolder folder, RenderedJob job) {
    this.machine = folder.machine();
    this.folder = folder;
    this.job = job;
  }

  /** The machine as its folder left it; {@code job} is its job for this run, or null. */
  static MachineRun load(MachineFolder folder, RenderedJob job) throws IOException {
    FolderContents c = folder.read(MachineRun::filedResult);
    MachineRun run = new MachineRun(folder, job);
    run.runTag = c.runTag();
    run.submittedAt = c.submittedAt();
    run.states.addAll(c.states());
    run.cancellation = c.cancellation();
    run.attachmentsPending = c.attachmentsPending();
    run.queue = job != null ? job.queue() : c.queue();
    run.finishedAt = c.finishedAt();
    run.artifactsMissing = c.artifactsMissing();
    run.outputTail = c.has(MachineFolder.OUTPUT) ? folder.outputTail(TAIL_BYTES) : null;
    if (c.result() != null) {
      run.phaseStatuses = Results.phaseStatuses(c.result());
    }
    for (String name : c.names()) {
      if (TreeNames.isReadable(name)) {
        run.files.add(name);
      }
    }
    run.stage = Results.stageOf(folder.machine(), c);
    run.leftovers = c.names().stream().anyMatch(AtomicFiles::isTemporary);
    for (int k = 1; c.has(TreeNames.attempt(k)); k++) {
      MachineFolder attempt = folder.attempt(k);
      FolderContents a = attempt.read(MachineRun::filedResult);
      if (a.jobId() == null && a.pendingJobId() == null && a.error() == null) {
        // Made by a run killed before it moved the attempt's job id in: the attempt is still
        // the current one, above.
        break;
      }
      Outcome o =
          Results.filed(folder.machine(), a)
              .orElseGet(() -> Outcome.unfinished(folder.machine(), a.jobId(), null));
      run.earlier.add(new EarlierAttempt(k, o, a.submittedAt(), a.finishedAt()));
    }
    // A run killed while it moved an ended attempt's files: the job id went first, so what is
    // left above belongs to that attempt, and the move is finished now (the lock is held).
    run.halfMoved =
        c.jobId() == null
            && c.pendingJobId() == null
            && !run.earlier.isEmpty()
            && (c.has(MachineFolder.RESULT) || c.has(MachineFolder.STATES));
    return run;
  }

  /** Whether the folder holds the rest of an attempt whose files were being moved. */
  private boolean halfMoved;

  /**
   * A filed result without its phase outputs, which may be hundreds of MB and are in their own
   * files; null when the file is not a result.
   */
  static ObjectNode filedResult(InputStream in) throws IOException {
    try {
      return StreamingJson.readObject(in, ResultSink.discarding(), StreamingJson.OUTPUT_FIELDS);
    } catch (BadAnswerException e) {
      return null;
    }
  }

  /** The number of the current attempt, from 1. */
  int attempt() {
    return earlier.size() + 1;
  }

  List<EarlierAttempt> earlier() {
    return List.copyOf(earlier);
  }

  /**
   * Ends the current attempt, whose outcome is settled: its files move to {@code attempt-K/}, and
   * the machine starts afresh for the next one.
   */
  void startNext() throws IOException {
    int k = attempt();
    Outcome ended = outcome();
    Instant submitted = submittedAt;
    Instant finished = finishedAt;
    EarlierFiles.archiveAttempt(folder, k);
    earlier.add(new EarlierAttempt(k, ended, submitted, finished));
    startAfresh();
  }

  /**
   * Removes what writers killed halfway left in the folder, and finishes a move of an ended
   * attempt's files that a killed run began; only with the tree's lock held.
   */
  void removeLeftovers() throws IOException {
    if (leftovers) {
      EarlierFiles.removeTemporaries(folder);
      leftovers = false;
    }
    if (halfMoved) {
      EarlierFiles.archiveAttempt(folder, earlier.size());
      halfMoved = false;
      startAfresh();
    }
  }

  /** A machine whose folder is known to be empty: nothing is read. */
  static MachineRun fresh(MachineFolder folder, RenderedJob job) {
    MachineRun run = new MachineRun(folder, job);
    run.queue = job == null ? null : job.queue();
    run.stage = new Stage.NotSubmitted(Results.NOT_SENT);
    return run;
  }

  /** Forgets this run's attempts, whose files were just moved to a new round's folder. */
  void startNewRound() {
    earlier.clear();
    startAfresh();
  }

  /** Forgets the current attempt, whose files were just moved away: the machine starts afresh. */
  private void startAfresh() {
    runTag = null;
    submittedAt = null;
    states.clear();
    cancellation = null;
    attachmentsPending = false;
    phaseStatuses = Map.of();
    finishedAt = null;
    outputTail = null;
    artifactsMissing = false;
    files.clear();
    failingSince = null;
    lastProblem = null;
    stage = new Stage.NotSubmitted(Results.NOT_SENT);
  }

  Stage stage() {
    return stage;
  }

  void stage(Stage next) {
    stage = next;
  }

  /** Where the machine stands, as the reports show it. */
  Outcome outcome() {
    Stage s = stage;
    if (s instanceof Stage.Settled settled) {
      return settled.outcome();
    }
    if (s instanceof Stage.NotSubmitted n) {
      return Outcome.notSubmitted(machine, n.reason());
    }
    if (s instanceof Stage.Pending) {
      return Outcome.notSubmitted(machine, Results.NOT_RECORDED);
    }
    if (s instanceof Stage.Stalled st) {
      return new Outcome(
          machine, st.jobId(), st.state(), null, null, Verdict.UNFINISHED, st.reason());
    }
    return Outcome.unfinished(machine, s.jobId(), lastState());
  }

  /** The state the job was last seen in, or null. */
  String lastState() {
    return states.isEmpty() ? null : states.get(states.size() - 1).state();
  }

  // ------------------------------------------------------------ submitting

  /**
   * Records, before sending, the job about to be submitted under {@code jobId}: its definition, its
   * run tag, that attachments are still to come, and the id itself (durably, last).
   */
  void choose(String jobId, String tag) throws IOException {
    folder.create();
    folder.writeJobYaml(job.yaml());
    folder.writeRunTag(tag);
    files.add(MachineFolder.JOB_YAML);
    runTag = tag;
    if (!job.attachments().isEmpty()) {
      folder.markAttachmentsPending();
      attachmentsPending = true;
    }
    folder.writePendingJobId(jobId);
    stage = new Stage.Pending(jobId);
  }

  /** Records that the server has the job: {@code tf_job_id.txt}, and it is active from now. */
  void accepted(String jobId, String pendingId) throws IOException {
    folder.writeJobId(jobId, pendingId);
    submittedAt = Instant.now();
    stage = new Stage.Active(jobId, lastState());
  }

  void attachmentsDelivered() throws IOException {
    folder.clearAttachmentsPending();
    attachmentsPending = false;
  }

  boolean attachmentsPending() {
    return attachmentsPending;
  }

  String runTag() {
    return runTag;
  }

  Instant submittedAt() {
    return submittedAt;
  }

  /** Settles the machine as an error for {@code reason}, recorded in {@code error.txt}. */
  void error(String jobId, String reason) throws IOException {
    folder.create();
    folder.writeError(reason);
    files.add(MachineFolder.ERROR);
    stage = new Stage.Settled(Outcome.error(machine, jobId, reason));
  }

  /**
   * Settles a machine that is not sent a job this run, for {@code reason}; its job file says where
   * it was meant to go, for the reports.
   */
  void skipped(String reason) throws IOException {
    folder.create();
    folder.writeJobYaml(job.yaml());
    files.add(MachineFolder.JOB_YAML);
    error(null, reason);
  }

  // ------------------------------------------------------------ watching

  /**
   * Notes that the job was seen in {@code state}; a new state is added to {@code states.json} with
   * the time. Returns whether it was new: a monitor started again sees first the state the last one
   * left off at, and must not record it twice.
   */
  boolean observe(String state, Instant seen) throws IOException {
    if (state == null || state.equals(lastState())) {
      return false;
    }
    states.add(new StateSeen(state, seen));
    folder.writeStates(states);
    return true;
  }

  List<StateSeen> states() {
    return List.copyOf(states);
  }

  Cancellation cancellation() {
    return cancellation;
  }

  /** Records, before the cancel request is sent, that tfleet cancels this machine's job. */
  void markCancelled(Cancellation c) throws IOException {
    folder.markCancelled(c);
    cancellation = c;
  }

  void clearCancelled() throws IOException {
    folder.clearCancelled();
    cancellation = null;
  }

  // ------------------------------------------------------------ filing

  /** Records what filing a terminal result wrote, and settles the machine with {@code outcome}. */
  void filed(Outcome outcome, Map<String, Integer> phases, String tail, List<String> written) {
    phaseStatuses = new LinkedHashMap<>(phases);
    outputTail = tail;
    finishedAt = Instant.now();
    files.addAll(written);
    files.add(MachineFolder.RESULT);
    artifactsMissing = true;
    stage = new Stage.Settled(outcome);
  }

  void artifactsKept() {
    artifactsMissing = false;
  }

  boolean artifactsMissing() {
    return artifactsMissing && stage instanceof Stage.Settled;
  }

  // ------------------------------------------------------------ for the reports

  String queue() {
    return queue;
  }

  Map<String, Integer> phaseStatuses() {
    return phaseStatuses;
  }

  Instant finishedAt() {
    return finishedAt;
  }

  String outputTail() {
    return outputTail;
  }

  /** The names of the folder's files a person reads, in the order the reports list them. */
  List<String> readableFiles() {
    return TreeNames.inReadingOrder(files);
  }
}
