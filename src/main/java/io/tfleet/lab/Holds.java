package io.tfleet.lab;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Machines held by reservations: each hold ends once, at its timeout or when its job is cancelled,
 * whichever comes first. No thread waits out a hold; the scheduler runs its end.
 */
final class Holds {
  private final ScheduledExecutorService scheduler;
  private final ConcurrentHashMap<LabJob, Hold> holds = new ConcurrentHashMap<>();

  Holds(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** How a reserve phase ends: its status and output, as the phase's result. */
  @FunctionalInterface
  interface End {
    void run(int status, String output);
  }

  /**
   * Runs a reserve phase on the machine {@code agent} whose device is at {@code deviceIp}: prints
   * what the upstream agent prints, holds the machine for the reservation's timeout, then ends the
   * phase with status 0. A timeout that is no number ends it at once with status 1, as the agent
   * fails on one.
   */
  void reserve(LabJob job, String agent, String deviceIp, End end) {
    Reservation reservation = job.reservation;
    if (reservation.timeout() == null) {
      String output =
          "tfleet-lab: reserve_data.timeout is not a number of seconds: "
              + reservation.givenTimeout()
              + "\n";
      job.appendLog("reserve", output);
      execute(() -> end.run(1, output));
      return;
    }
    String output = reservation.announcement(job.id, agent, deviceIp, OffsetDateTime.now());
    job.appendLog("reserve", output);
    hold(job, reservation.timeout(), () -> end.run(0, output));
  }

  /** Holds the job's machine for {@code timeout}, then runs {@code end}. */
  void hold(LabJob job, Duration timeout, Runnable end) {
    Hold hold = new Hold(end);
    holds.put(job, hold);
    try {
      hold.timer = scheduler.schedule(() -> release(job), timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The lab is closing.
      holds.remove(job);
      return;
    }
    if (job.cancelRequested()) {
      // A cancel that came between the phase starting and the hold being in place.
      interrupt(job);
    }
  }

  /** Ends the job's hold now, if it has one. */
  void interrupt(LabJob job) {
    Hold hold = holds.get(job);
    if (hold == null) {
      return;
    }
    ScheduledFuture<?> timer = hold.timer;
    if (timer != null) {
      timer.cancel(false);
    }
    execute(() -> release(job));
  }

  private void execute(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      // The lab is closing.
    }
  }

  private void release(LabJob job) {
    Hold hold = holds.remove(job);
    if (hold != null) {
      hold.end.run();
    }
  }

  /** What ends a hold, and the timer that ends it at the timeout. */
  private static final class Hold {
    final Runnable end;
    volatile ScheduledFuture<?> timer;

    Hold(Runnable end) {
      this.end = end;
    }
  }
}
