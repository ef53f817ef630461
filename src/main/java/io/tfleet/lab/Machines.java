package io.tfleet.lab;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The simulated machines: one agent per served queue, the jobs waiting on each queue, and what the
 * agents endpoints show of them. {@link PhaseRunner} walks each machine's jobs through the phases.
 */
final class Machines {
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
  private final JobFiles files;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final WaitTimes waitTimes = new WaitTimes();
  private final PhaseRunner phases;

  Machines(
      LabConfig config,
      JobStore store,
      ScheduledExecutorService scheduler,
      ExecutorService commands,
      Path scratch) {
    this.config = config;
    this.store = store;
    this.files = new JobFiles(scratch);
    this.phases = new PhaseRunner(config, store, scheduler, commands, files, waitTimes);
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

  /** A cancelled job whose machine holds it in a reservation is let go now, not at the timeout. */
  void interrupt(LabJob job) {
    phases.interrupt(job);
  }

  private void dispatch(Slot slot) {
    phases.dispatch(slot);
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
    return phases.troubleEvents();
  }

  /** Stops taking jobs and kills running commands. */
  void close() {
    phases.close();
  }
}
