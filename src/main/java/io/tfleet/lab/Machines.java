package io.tfleet.lab;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    Slot(String name, boolean served, String unavailable, Trouble trouble) {
      this.name = name;
      this.agent =
          served
              ? new Agent(name + "-agent", name, unavailable, new AgentTrouble(name, trouble))
              : null;
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

    /** Its jobs' trouble, its provision streak, whether it went offline. */
    final AgentTrouble trouble;

    Agent(String name, String queue, String unavailable, AgentTrouble trouble) {
      this.name = name;
      this.queue = queue;
      this.unavailable = unavailable;
      this.trouble = trouble;
    }
  }

  /** A machine as the agents endpoints show it, taken at one moment. */
  record AgentView(
      String name,
      String queue,
      String state,
      String jobId,
      Instant updatedAt,
      AgentTrouble.Streak streak,
      String comment) {}

  private final LabConfig config;
  private final JobStore store;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService commands;
  private final CommandRunner runner;
  private final JobFiles files;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final List<Trouble.Event> troubleEvents = new CopyOnWriteArrayList<>();
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
    this.files = new JobFiles(scratch);
    this.holds = new Holds(scheduler);
    if (config.queues() != null) {
      for (String queue : config.queues()) {
        slots.put(
            queue,
            new Slot(
                queue, /* served= */ true, config.machineStates().get(queue), config.trouble()));
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
        queue,
        q -> new Slot(q, config.queues() == null, config.machineStates().get(q), config.trouble()));
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
   * What a machine is doing: its set state when offline or in maintenance, {@code offline} once it
   * set itself offline (lab trouble), {@code waiting} when idle, else its job's phase.
   */
  static AgentView view(Slot slot) {
    Agent agent = slot.agent;
    synchronized (slot) {
      LabJob job = agent.current;
      String phase = job == null ? null : job.agentPhase();
      String offline = agent.trouble.offline();
      String state =
          agent.unavailable != null
              ? agent.unavailable
              : offline != null ? "offline" : phase == null ? "waiting" : phase;
      return new AgentView(
          agent.name,
          slot.name,
          state,
          phase == null ? "" : job.id,
          agent.updatedAt,
          agent.trouble.streak(),
          agent.unavailable != null
              ? "set " + agent.unavailable + " by the lab's queues file"
              : offline != null ? offline : "");
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
    if (slot.agent == null
        || slot.agent.unavailable != null
        || slot.agent.trouble.offline() != null
        || closed) {
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
          Trouble.Event trouble = slot.agent.trouble.take(job.id);
          if (trouble.kind() != Trouble.Kind.NONE) {
            troubleEvents.add(trouble);
          }
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
    if (index < phases.size()
        && phases.get(index).equals("provision")
        && slot.agent.trouble.current() == Trouble.Kind.JOB_LOST) {
      lose(slot, job);
      return;
    }
    if (index == phases.size() || !job.enterPhase(phases.get(index))) {
      end(slot, job);
      return;
    }
    String phase = phases.get(index);
    slot.agent.updatedAt = Instant.now();
    if (phase.equals("provision")) {
      AgentTrouble.Phase provision = slot.agent.trouble.provision(job.id);
      job.appendLog(phase, provision.output());
      later(slot, job, () -> boundary(slot, job, index, provision.status()));
    } else if (phase.equals("reserve")) {
      // The hold appends the reserve phase's lines to its output itself.
      holds.reserve(
          job,
          slot.agent.name,
          addresses.of(slot.agent.name),
          (status, output) -> guarded(slot, job, () -> boundary(slot, job, index, status)).run());
    } else if (!phase.equals("test")) {
      String output = simulatedOutput(phase, slot, job);
      job.appendLog(phase, output);
      later(slot, job, () -> boundary(slot, job, index, 0));
    } else if (hasCommands(job) || slot.agent.trouble.setup().testOutputBytes() > 0) {
      // Commands, and outputs written for them, take a thread of their own, not the scheduler's.
      try {
        commands.execute(guarded(slot, job, () -> test(slot, job, index)));
      } catch (RejectedExecutionException e) {
        // Closing.
      }
    } else {
      test(slot, job, index);
    }
  }

  private boolean hasCommands(LabJob job) {
    return !config.simulate() && job.testCmds != null && !job.testCmds.isBlank();
  }

  /** The test phase: the commands, or the simulated line, then the machine's setup on top. */
  private void test(Slot slot, LabJob job, int index) {
    int status = 0;
    if (config.simulate()) {
      // What hwctl-style certification scripts print, for clients that parse test_output.
      job.appendLog("test", slot.agent.trouble.simulatedTest(slot.agent.name));
    } else if (hasCommands(job)) {
      status = runner.run(job, workDir(job)).status();
      files.packArtifacts(job);
    }
    int ended = slot.agent.trouble.endTest(job.output(), status, hasCommands(job));
    later(slot, job, () -> boundary(slot, job, index, ended));
  }

  /** A cancelled job whose machine holds it in a reservation is let go now, not at the timeout. */
  void interrupt(LabJob job) {
    holds.interrupt(job);
  }

  private void boundary(Slot slot, LabJob job, int index, int status) {
    List<String> phases = job.phases();
    String phase = phases.get(index);
    if (phase.equals("provision") && !job.cancelRequested()) {
      slot.agent.trouble.provisioned(status);
      if (status == 0) {
        job.provisioned(addresses.of(slot.agent.name));
      }
    }
    if (job.endPhase(phase, status)) {
      // As upstream's agent: a failed phase other than the test ends the job; cleanup still runs.
      int cleanup = phases.indexOf("cleanup");
      boolean abort = status != 0 && !phase.equals("test") && index < cleanup;
      step(slot, job, abort ? cleanup : index + 1);
    } else {
      end(slot, job);
    }
  }

  /**
   * The server lost the job: from now on it answers for the id as for one it never had, and the
   * machine goes on with its queue.
   */
  private void lose(Slot slot, LabJob job) {
    store.lose(job);
    job.output().delete();
    end(slot, job);
  }

  /** A machine that went offline during a job takes jobs again a while after that job ends. */
  private void backOnlineLater(Slot slot) {
    Runnable back =
        () -> {
          slot.agent.trouble.backOnline();
          slot.agent.updatedAt = Instant.now();
          dispatch(slot);
        };
    try {
      scheduler.schedule(back, config.trouble().offlineFor().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  private void end(Slot slot, LabJob job) {
    boolean first = job.finish(config.finalState());
    files.deleteWorkDir(job);
    synchronized (slot) {
      slot.agent.current = null;
      slot.agent.updatedAt = Instant.now();
    }
    // Counted once the machine is free, so an idle lab has every machine waiting.
    if (first) {
      store.finished();
    }
    if (slot.agent.trouble.offline() != null) {
      backOnlineLater(slot);
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
      case "cleanup":
        return "Cleanup complete\n";
      default:
        return "";
    }
  }

  /** The job's working folder; attachments unpack under it. */
  Path workDir(LabJob job) {
    return files.workDir(job);
  }

  /** Where a job's phase outputs are kept, until the lab closes. */
  OutputStore outputs(long seq, String id) {
    return files.outputs(seq, id);
  }

  /** The jobs that met trouble so far, in the order their machines took them. */
  List<Trouble.Event> troubleEvents() {
    return List.copyOf(troubleEvents);
  }

  /** Stops taking jobs and kills running commands. */
  void close() {
    closed = true;
    runner.killAll();
  }
}
