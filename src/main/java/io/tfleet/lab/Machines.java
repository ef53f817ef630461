package io.tfleet.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated machines: one agent per served queue, each walking its queue's jobs one at a time
 * through the phases. No thread belongs to a queue or a job: phases are tasks on a small shared
 * scheduler, and only test commands take a thread from a bounded pool while they run.
 */
final class Machines {
  private static final System.Logger LOG = System.getLogger(Machines.class.getName());

  /** A queue: the jobs waiting on it and, when the lab serves it, its one machine. */
  static final class Slot {
    final String name;

    /** Null for a queue no machine serves: its jobs wait forever, as on a real server. */
    final Agent agent;

    final TreeSet<LabJob> waiting = new TreeSet<>(LabJob.QUEUE_ORDER); // guarded by this

    Slot(String name, boolean served, String unavailable) {
      this.name = name;
      this.agent = served ? new Agent(name + "-agent", name, unavailable) : null;
    }
  }

  /** A machine; lock order is slot, then job. */
  static final class Agent {
    final String name;
    final String queue;

    /** {@code offline} or {@code maintenance}: the machine takes no jobs; null when it works. */
    final String unavailable;

    LabJob current; // guarded by the slot

    /** When the machine last changed state, as an agent reports it with each post. */
    volatile Instant updatedAt = Instant.now();

    /** Provisions in a row that passed; the lab's provisioning never fails. */
    final AtomicInteger provisions = new AtomicInteger();

    Agent(String name, String queue, String unavailable) {
      this.name = name;
      this.queue = queue;
      this.unavailable = unavailable;
    }
  }

  /** A machine as the agents endpoints show it, taken at one moment. */
  record AgentView(
      String name,
      String queue,
      String state,
      String jobId,
      Instant updatedAt,
      int provisions,
      String comment) {}

  private final LabConfig config;
  private final JobStore store;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService commands;
  private final CommandRunner runner;
  private final Path scratch;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final WaitTimes waitTimes = new WaitTimes();
  private final DeviceAddresses addresses = new DeviceAddresses();

  private final Holds holds;

  private volatile boolean closed;

  Machines(
      LabConfig config,
      JobStore store,
      ScheduledExecutorService scheduler,
      ExecutorService commands,
      Path scratch) {
    this.config = config;
    this.store = store;
    this.scheduler = scheduler;
    this.commands = commands;
    this.runner = new CommandRunner(config.testTimeout());
    this.holds = new Holds(scheduler);
    this.scratch = scratch;
    if (config.queues() != null) {
      for (String queue : config.queues()) {
        slots.put(queue, new Slot(queue, /* served= */ true, config.machineStates().get(queue)));
      }
    }
  }

  /** How long each queue's jobs waited for a machine. */
  WaitTimes waitTimes() {
    return waitTimes;
  }

  /** The queue, made on first use; a lab without a queue list serves every queue. */
  Slot slot(String queue) {
    return slots.computeIfAbsent(
        queue, q -> new Slot(q, config.queues() == null, config.machineStates().get(q)));
  }

  /** Whether the lab has a machine for the queue, without making one. */
  boolean serves(String queue) {
    Slot slot = slots.get(queue);
    return slot != null && slot.agent != null;
  }

  /** The queue's machine, or null when this lab does not serve that queue. */
  Agent agent(String queue) {
    if (config.queues() != null && !config.queues().contains(queue)) {
      return null;
    }
    return slot(queue).agent;
  }

  /** Served queues by name. */
  List<Slot> servedQueues() {
    List<Slot> served = new ArrayList<>();
    for (Slot slot : slots.values()) {
      if (slot.agent != null) {
        served.add(slot);
      }
    }
    served.sort(Comparator.comparing(s -> s.name));
    return served;
  }

  /**
   * What a machine is doing: its set state when offline or in maintenance, {@code waiting} when
   * idle, else its job's phase.
   */
  static AgentView view(Slot slot) {
    Agent agent = slot.agent;
    synchronized (slot) {
      LabJob job = agent.current;
      String phase = job == null ? null : job.agentPhase();
      String state =
          agent.unavailable != null ? agent.unavailable : phase == null ? "waiting" : phase;
      return new AgentView(
          agent.name,
          slot.name,
          state,
          phase == null ? "" : job.id,
          agent.updatedAt,
          agent.provisions.get(),
          agent.unavailable == null
              ? ""
              : "set " + agent.unavailable + " by the lab's queues file");
    }
  }

  /** Every machine, by name. */
  List<AgentView> agents() {
    List<AgentView> views = new ArrayList<>();
    for (Slot slot : servedQueues()) {
      views.add(view(slot));
    }
    views.sort(Comparator.comparing(AgentView::name));
    return views;
  }

  /** The machine of that name, or null. */
  AgentView agentNamed(String name) {
    for (Slot slot : slots.values()) {
      if (slot.agent != null && slot.agent.name.equals(name)) {
        return view(slot);
      }
    }
    return null;
  }

  void submit(LabJob job) {
    Slot slot = slot(job.queue);
    synchronized (slot) {
      slot.waiting.add(job);
    }
    dispatch(slot);
  }

  /** Takes a job that a resubmission replaced off its queue, if it had not started. */
  void drop(LabJob job) {
    if (job.supersede()) {
      store.finished();
      Slot slot = slot(job.queue);
      synchronized (slot) {
        slot.waiting.remove(job);
      }
    }
  }

  void cancelled(LabJob waitingJob) {
    Slot slot = slot(waitingJob.queue);
    synchronized (slot) {
      slot.waiting.remove(waitingJob);
    }
    store.finished();
  }

  /** Jobs ahead of this one on its queue, or -1 when it no longer waits. */
  int position(LabJob job) {
    Slot slot = slot(job.queue);
    synchronized (slot) {
      if (!job.isWaiting()) {
        return -1;
      }
      int ahead = 0;
      for (LabJob other : slot.waiting.headSet(job, false)) {
        if (other.isWaiting()) {
          ahead++;
        }
      }
      return ahead;
    }
  }

  /** Its attachments arrived, so the job may now be taken. */
  void ready(LabJob job) {
    dispatch(slot(job.queue));
  }

  private void dispatch(Slot slot) {
    if (slot.agent == null || slot.agent.unavailable != null || closed) {
      return;
    }
    LabJob next = null;
    synchronized (slot) {
      if (slot.agent.current != null) {
        return;
      }
      for (Iterator<LabJob> it = slot.waiting.iterator(); it.hasNext(); ) {
        LabJob job = it.next();
        LabJob.Take take = job.take(slot.agent.name);
        if (take == LabJob.Take.GONE) {
          it.remove();
        } else if (take == LabJob.Take.TAKEN) {
          it.remove();
          slot.agent.current = job;
          slot.agent.updatedAt = Instant.now();
          waitTimes.record(slot.name, job.createdAt, slot.agent.updatedAt);
          next = job;
          break;
        }
      }
    }
    if (next != null) {
      LabJob job = next;
      later(slot, job, () -> step(slot, job, 0));
    }
  }

  private void step(Slot slot, LabJob job, int index) {
    List<String> phases = job.phases();
    if (index == phases.size() || !job.enterPhase(phases.get(index))) {
      end(slot, job);
      return;
    }
    String phase = phases.get(index);
    slot.agent.updatedAt = Instant.now();
    if (phase.equals("reserve")) {
      holds.reserve(
          job,
          slot.agent.name,
          addresses.of(slot.agent.name),
          (status, output) ->
              guarded(slot, job, () -> boundary(slot, job, index, status, output)).run());
    } else if (!phase.equals("test")) {
      String output = simulatedOutput(phase, slot, job);
      job.appendLog(phase, output);
      later(slot, job, () -> boundary(slot, job, index, 0, output));
    } else if (config.simulate()) {
      // What hwctl-style certification scripts print, for clients that parse test_output.
      String output = "{\"status\": \"Certified\", \"machine\": \"" + slot.agent.name + "\"}\n";
      job.appendLog(phase, output);
      later(slot, job, () -> boundary(slot, job, index, 0, output));
    } else if (job.testCmds == null || job.testCmds.isBlank()) {
      later(slot, job, () -> boundary(slot, job, index, 0, ""));
    } else {
      try {
        commands.execute(
            guarded(
                slot,
                job,
                () -> {
                  CommandRunner.Outcome outcome = runner.run(job, workDir(job), outputFile(job));
                  packArtifacts(job);
                  later(
                      slot,
                      job,
                      () -> boundary(slot, job, index, outcome.status(), outcome.output()));
                }));
      } catch (RejectedExecutionException e) {
        // Closing.
      }
    }
  }

  /** A cancelled job whose machine holds it in a reservation is let go now, not at the timeout. */
  void interrupt(LabJob job) {
    holds.interrupt(job);
  }

  private void boundary(Slot slot, LabJob job, int index, int status, String output) {
    String phase = job.phases().get(index);
    if (phase.equals("provision") && status == 0 && !job.cancelRequested()) {
      slot.agent.provisions.incrementAndGet();
      job.provisioned(addresses.of(slot.agent.name));
    }
    if (job.endPhase(phase, status, output)) {
      step(slot, job, index + 1);
    } else {
      end(slot, job);
    }
  }

  private void end(Slot slot, LabJob job) {
    boolean first = job.finish(config.finalState());
    deleteScratch(job);
    synchronized (slot) {
      slot.agent.current = null;
      slot.agent.updatedAt = Instant.now();
    }
    // Counted once the machine is free, so an idle lab has every machine waiting.
    if (first) {
      store.finished();
    }
    dispatch(slot);
  }

  /** Runs the task after one phase time; a zero phase time still goes through the scheduler. */
  private void later(Slot slot, LabJob job, Runnable task) {
    if (closed) {
      return;
    }
    try {
      Runnable guarded = guarded(slot, job, task);
      if (config.phaseTime().isZero()) {
        scheduler.execute(guarded);
      } else {
        scheduler.schedule(guarded, config.phaseTime().toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  /** A bug in a phase must not leave the machine busy forever. */
  private Runnable guarded(Slot slot, LabJob job, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "tfleet-lab: job " + job.id + " failed", e);
        end(slot, job);
      }
    };
  }

  private static String simulatedOutput(String phase, Slot slot, LabJob job) {
    switch (phase) {
      case "setup":
        return "Agent " + slot.agent.name + " set up job " + job.id + "\n";
      case "provision":
        return "Provisioning " + slot.name + " (simulated): done\n";
      case "cleanup":
        return "Cleanup complete\n";
      default:
        return "";
    }
  }

  /** The job's working folder; attachments unpack under it. */
  Path workDir(LabJob job) {
    return scratch.resolve("jobs").resolve(job.seq + "-" + job.id);
  }

  private Path outputFile(LabJob job) {
    return scratch.resolve("output").resolve(job.seq + "-" + job.id + ".log");
  }

  /** Where a job's artifact bundle is kept once its working folder is gone. */
  private Path artifactFile(LabJob job) {
    return scratch.resolve("artifacts").resolve(job.seq + "-" + job.id + ".tar.gz");
  }

  /**
   * Packs what the test commands left in {@code artifacts/}, as an agent uploads it; before the
   * test phase ends, so a client that sees the job finished finds the bundle. A folder that cannot
   * be packed is logged and the job goes on without one, as an agent's failed upload would.
   */
  private void packArtifacts(LabJob job) {
    Path folder = workDir(job).resolve("artifacts");
    try {
      if (Archives.pack(folder, artifactFile(job))) {
        job.artifactPacked(artifactFile(job));
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(System.Logger.Level.WARNING, "tfleet-lab: cannot pack the artifacts of " + job.id, e);
    }
  }

  private void deleteScratch(LabJob job) {
    try {
      Files.deleteIfExists(outputFile(job));
      Scratch.deleteTree(workDir(job));
    } catch (IOException | UncheckedIOException e) {
      // The lab's whole scratch folder goes on close.
    }
  }

  /** Stops taking jobs and kills running commands. */
  void close() {
    closed = true;
    runner.killAll();
  }
}
