package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.Problem;
import io.tfleet.client.Reply;
import io.tfleet.client.ReserveData;
import io.tfleet.client.TestflingerClient;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.report.Verdict;
import io.tfleet.store.EarlierFiles;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reserves machines of an output tree for a person to log in to. Each reservation is a job of the
 * tree like any other: the machine's earlier files move to a new round ({@code round-N/}), so the
 * result that made someone want to look stays readable, and the job is submitted exactly once (its
 * id chosen and recorded before it is sent). The job is the machine's job of its run, without its
 * test and with {@code reserve_data}; a machine the tree has no job for gets {@code {job_queue:
 * MACHINE, reserve_data}}.
 */
public final class Reservations {
  private final TestflingerClient client;
  private final OutputTree tree;
  private final FleetSettings settings;
  private final Listener listener;
  private final Retry retry;
  private final String runTag = RunTag.next();
  private Pace pace = Pace.DEFAULT;

  /**
   * What reserving tells as it goes. Called on the thread that called {@link #submit} or {@link
   * #watch}.
   */
  public interface Listener {
    /** Something a person should know that changes no outcome. */
    default void notice(String message) {}

    /** The machine's reservation job was sent ({@code adopted}: it had one already). */
    default void submitted(String machine, String jobId, boolean adopted) {}

    /** The machine is reserved and reachable. */
    default void reachable(String machine, Access access) {}

    /**
     * The machine's reservation is over (see {@link Reserved#endState}, {@link Reserved#problem}).
     */
    default void ended(Reserved reserved) {}
  }

  /**
   * How often reservations are looked at: a round every {@code untilReachable} (a result request
   * for each machine not reachable yet, one search per run tag for the others); where the server
   * refuses search, a reachable machine's result every {@code untilEnded} instead, as a reservation
   * lasts hours and its end is news to nobody waiting on it.
   */
  public record Pace(Duration untilReachable, Duration untilEnded) {
    /** Rounds every 2 seconds; 30 seconds (a run's poll interval) without search. */
    public static final Pace DEFAULT = new Pace(Duration.ofSeconds(2), Duration.ofSeconds(30));

    public Pace {
      if (untilReachable.isNegative()
          || untilReachable.isZero()
          || untilEnded.isNegative()
          || untilEnded.isZero()) {
        throw new IllegalArgumentException("a pace must be > 0");
      }
    }
  }

  /**
   * How to get onto a reserved machine.
   *
   * @param sshCommand such as {@code ssh ubuntu@198.18.0.7}
   * @param until when the reservation ends, in the agent's words; null when it said nothing
   */
  public record Access(String sshCommand, String until) {
    public Access {
      Objects.requireNonNull(sshCommand, "sshCommand");
    }
  }

  /** What is done for a machine: a new reservation, or one tfleet already started. */
  public enum Step {
    /** Start a new round and submit a reservation job. */
    SUBMIT,
    /** Finish a submission that stopped before the server's answer was recorded. */
    RESUME,
    /** Watch the unfinished reservation the machine already has. */
    ADOPT
  }

  /**
   * One machine's reservation before anything is sent.
   *
   * @param job the job to submit; null for {@link Step#ADOPT}
   * @param jobId the job's id when it is already chosen ({@link Step#RESUME}, {@link Step#ADOPT})
   */
  public record Planned(String machine, Step step, ObjectNode job, String jobId) {
    public Planned {
      Objects.requireNonNull(machine, "machine");
      Objects.requireNonNull(step, "step");
      if ((step == Step.ADOPT) != (job == null) || (step == Step.SUBMIT) != (jobId == null)) {
        throw new IllegalArgumentException(machine + ": a " + step + " step with the wrong parts");
      }
    }
  }

  /**
   * Where one machine's reservation stands.
   *
   * @param jobId null when it could not be submitted
   * @param access how to reach the machine, once known
   * @param endState the job's last state once it ended ({@code complete}, {@code cancelled})
   * @param problem why the machine was not, or is no longer, reachable; null when nothing went
   *     wrong
   */
  public record Reserved(
      String machine, String jobId, Access access, String endState, String problem) {
    public Reserved {
      Objects.requireNonNull(machine, "machine");
      if (jobId == null && problem == null) {
        throw new IllegalArgumentException(
            machine + ": a reservation without a job needs a reason");
      }
    }

    /** Whether the machine got its ssh command. */
    public boolean reachable() {
      return access != null;
    }

    /** Whether nothing more will happen to it that tfleet waits for. */
    public boolean over() {
      return endState != null || problem != null;
    }

    Reserved with(Access a, String end, String why) {
      return new Reserved(machine, jobId, a, end, why);
    }
  }

  public Reservations(
      TestflingerClient client, OutputTree tree, FleetSettings settings, Listener listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.tree = Objects.requireNonNull(tree, "tree");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.retry = new Retry(client, settings.backoff(), noticesTo(listener));
  }

  /** These reservations looked at at {@code p}'s pace instead of {@link Pace#DEFAULT}. */
  public Reservations withPace(Pace p) {
    this.pace = Objects.requireNonNull(p, "pace");
    return this;
  }

  /**
   * The machines of the tree that did not pass, read from its files as {@code tfleet report} reads
   * them: failed, cancelled, timed out, lost or never submitted, and those whose current job is a
   * reservation that has not ended (to be watched, not reserved again). Left out, with a notice: a
   * machine whose test job is still going (it may yet pass, and a new round would drop its result),
   * one whose run stopped halfway through submitting it, and one without a {@code job.yaml} (never
   * submitted, or a tree of the original script).
   */
  public List<String> notPassed() throws IOException {
    List<String> machines = new ArrayList<>();
    for (Outcome o : FleetState.load(tree).outcomes()) {
      if (o.verdict() == Verdict.PASSED) {
        continue;
      }
      MachineFolder folder = tree.machine(o.machine());
      if (o.verdict() == Verdict.UNFINISHED && !ReservationJobs.isReservation(folder)) {
        listener.notice(o.machine() + ": left out: its job " + o.jobId() + " is not finished");
        continue;
      }
      if (folder.jobId().isEmpty()
          && folder.pendingJobId().isPresent()
          && !ReservationJobs.isReservation(folder)) {
        listener.notice(
            o.machine()
                + ": left out: the submission of its job stopped halfway; carry its run on");
        continue;
      }
      if (!Files.isRegularFile(folder.dir().resolve(MachineFolder.JOB_YAML))) {
        // Its queue would be a guess: the run's template may name queues otherwise.
        listener.notice(
            o.machine()
                + ": left out: the tree has no "
                + MachineFolder.JOB_YAML
                + " for it; name it to reserve it with {job_queue: "
                + o.machine()
                + "}");
        continue;
      }
      machines.add(o.machine());
    }
    return machines;
  }

  /**
   * Decides, sending nothing, what each machine gets, and shapes its job with {@code data}.
   *
   * @throws InputException naming every machine that cannot be reserved now: a bad id, a job.yaml
   *     that cannot be read, a job that is still going, a submission of its run left halfway
   */
  public List<Planned> plan(List<String> machines, ReserveData data)
      throws InputException, IOException {
    List<Planned> plan = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String machine : new LinkedHashSet<>(machines)) {
      String bad = MachineId.problemWith(machine);
      if (bad != null) {
        problems.add(bad);
        continue;
      }
      MachineFolder folder = tree.machine(machine);
      Optional<ObjectNode> current;
      try {
        current = ReservationJobs.current(folder);
      } catch (InputException e) {
        problems.add(e.getMessage());
        continue;
      }
      boolean reservation = current.map(j -> j.has("reserve_data")).orElse(false);
      Optional<String> jobId = folder.jobId();
      Optional<String> pending = folder.pendingJobId();
      if (jobId.isPresent() && Results.filed(folder.machine(), folder.read()).isEmpty()) {
        if (reservation) {
          plan.add(new Planned(machine, Step.ADOPT, null, jobId.get()));
        } else {
          problems.add(
              machine
                  + ": its job "
                  + jobId.get()
                  + " is not finished; wait for it, or end it with tfleet cancel");
        }
      } else if (jobId.isEmpty() && pending.isPresent()) {
        if (reservation) {
          plan.add(new Planned(machine, Step.RESUME, current.get(), pending.get()));
        } else {
          problems.add(
              machine
                  + ": the submission of its job stopped halfway ("
                  + MachineFolder.PENDING_JOB_ID
                  + "); carry its run on first");
        }
      } else {
        try {
          plan.add(
              new Planned(
                  machine,
                  Step.SUBMIT,
                  ReservationJobs.job(machine, current.orElse(null), data),
                  null));
        } catch (InputException e) {
          problems.add(e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException("cannot reserve " + String.join("; ", problems));
    }
    return plan;
  }

  /**
   * Submits each planned reservation that needs a job, exactly once, and adopts the others. A
   * machine whose submission fails keeps the reason in its {@code error.txt} and comes back with
   * it; the others go on.
   *
   * @throws FleetAbortedException when the server refuses the credentials or cannot be reached at
   *     all
   */
  public List<Reserved> submit(List<Planned> plan)
      throws IOException, InterruptedException, FleetAbortedException {
    recordServerIfNew(plan);
    List<Reserved> reserved = new ArrayList<>();
    for (Planned p : plan) {
      if (p.step() == Step.ADOPT) {
        listener.submitted(p.machine(), p.jobId(), /* adopted= */ true);
        reserved.add(new Reserved(p.machine(), p.jobId(), null, null, null));
      } else {
        reserved.add(send(p));
      }
    }
    return reserved;
  }

  /**
   * Looks at each reservation until its machine is reachable ({@code untilEnded} false) or until it
   * has ended, filing each result that ends in the machine's folder.
   */
  public List<Reserved> watch(List<Reserved> reserved, boolean untilEnded)
      throws IOException, InterruptedException, FleetAbortedException {
    return new ReservationWatch(client, tree, settings, retry, listener, pace)
        .watch(reserved, untilEnded);
  }

  /**
   * A tree that had neither a manifest nor machines (made for these reservations) gets a manifest,
   * so that {@code tfleet cancel} and {@code status} on it find its server without {@code
   * --server}.
   */
  private void recordServerIfNew(List<Planned> plan) throws IOException {
    if (tree.manifest().isPresent() || !tree.machines().isEmpty() || plan.isEmpty()) {
      return;
    }
    new RunManifest(
            client.server().toString(),
            plan.stream().map(Planned::machine).toList(),
            /* templateDigest= */ null,
            /* shard= */ null,
            runTag,
            /* command= */ null,
            Instant.now().toString())
        .write(tree.root());
  }

  private Reserved send(Planned p) throws IOException, InterruptedException, FleetAbortedException {
    String machine = p.machine();
    MachineFolder folder = tree.machine(machine);
    String jobId = p.jobId();
    if (p.step() == Step.SUBMIT) {
      if (folder.jobId().isPresent()
          || (folder.error().isPresent() && !ReservationJobs.isReservation(folder))) {
        EarlierFiles.archiveRound(folder);
      }
      folder.create();
      // Chosen and recorded before sending: whatever happens next, a later tfleet reserve asks
      // the server whether this job exists instead of sending a second one.
      jobId = UUID.randomUUID().toString();
      folder.writeJobYaml(ReservationJobs.yaml(p.job()));
      folder.writeRunTag(runTag);
      folder.writePendingJobId(jobId);
    }
    String id = jobId;
    boolean adopted = false;
    if (p.step() == Step.RESUME) {
      Reply<Boolean> exists = retry.reply(machine, () -> client.job(id).isPresent());
      if (!exists.ok()) {
        return notSent(folder, exists.problem());
      }
      // An earlier tfleet reserve sent it and stopped before it could record the answer.
      adopted = exists.value();
    }
    String accepted = id;
    if (!adopted) {
      ObjectNode body = Submitter.body(p.job(), id, runTag);
      Reply<String> sent = retry.sendOnce(machine, id, () -> client.submit(body), () -> false);
      if (!sent.ok()) {
        return notSent(folder, sent.problem());
      }
      accepted = sent.value();
    }
    folder.writeJobId(accepted, id);
    listener.submitted(machine, accepted, adopted);
    return new Reserved(machine, accepted, null, null, null);
  }

  /**
   * A reservation whose job was not sent: the run stops on a problem no machine gets past; a
   * refusal means the job does not exist, so the next try may send it with other keys or timeout.
   */
  private Reserved notSent(MachineFolder folder, Problem problem)
      throws IOException, FleetAbortedException {
    if (problem.stopsRun()) {
      throw new FleetAbortedException(problem.message(), null);
    }
    if (!problem.mayPass()) {
      folder.clearPendingJobId();
    }
    return failed(folder, problem.message());
  }

  private Reserved failed(MachineFolder folder, String reason) throws IOException {
    folder.writeError(reason);
    Reserved reserved = new Reserved(folder.machine(), null, null, null, reason);
    listener.ended(reserved);
    return reserved;
  }

  private static FleetEvents noticesTo(Listener listener) {
    return new FleetEvents() {
      @Override
      public void notice(String message) {
        listener.notice(message);
      }
    };
  }
}
