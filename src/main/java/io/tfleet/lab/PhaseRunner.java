package io.tfleet.lab;

import io.tfleet.lab.Machines.Slot;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Walks each simulated machine's jobs through the phases, one job at a time. No thread belongs to a
 * queue or a job: phases are tasks on a small shared scheduler, and only test commands take a
 * thread from a bounded pool while they run.
 */
final class PhaseRunner {
  private static final System.Logger LOG = System.getLogger(PhaseRunner.class.getName());

  private final LabConfig config;
  private final JobStore store;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService commands;
  private final CommandRunner runner;
  private final JobFiles files;
  private final WaitTimes waitTimes;
  private final List<Trouble.Event> troubleEvents = new CopyOnWriteArrayList<>();
  private final DeviceAddresses addresses = new DeviceAddresses();
  private final Holds holds;

  private volatile boolean closed;

  PhaseRunner(
      LabConfig config,
      JobStore store,
      ScheduledExecutorService scheduler,
      ExecutorService commands,
      JobFiles files,
      WaitTimes waitTimes) {
    this.config = config;
    this.store = store;
    this.scheduler = scheduler;
    this.commands = commands;
    this.runner = new CommandRunner(config.testTimeout());
    this.files = files;
    this.waitTimes = waitTimes;
    this.holds = new Holds(scheduler);
  }

  /** The jobs that met trouble so far, in the order their machines took them. */
  List<Trouble.Event> troubleEvents() {
    return List.copyOf(troubleEvents);
  }

  /** A cancelled job whose machine holds it in a reservation is let go now, not at the timeout. */
  void interrupt(LabJob job) {
    holds.interrupt(job);
  }

  /** Stops taking jobs and kills running commands. */
  void close() {
    closed = true;
    runner.killAll();
  }

  /** Gives the queue's machine its next job that may be taken, when the machine is free. */
  void dispatch(Slot slot) {
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
      status = runner.run(job, files.workDir(job)).status();
      files.packArtifacts(job);
    }
    int ended = slot.agent.trouble.endTest(job.output(), status, hasCommands(job));
    later(slot, job, () -> boundary(slot, job, index, ended));
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
}
