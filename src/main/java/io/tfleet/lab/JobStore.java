package io.tfleet.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The lab's jobs by id, and how many are still active. */
final class JobStore {
  private final ConcurrentHashMap<String, LabJob> jobs = new ConcurrentHashMap<>();
  private final AtomicLong created = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> createdByQueue = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();
  private final Object idle = new Object();
  private long active; // guarded by idle

  long nextSeq() {
    return seq.incrementAndGet();
  }

  /** Stores the job; returns the job it replaced under the same id, or null. */
  LabJob add(LabJob job) {
    synchronized (idle) {
      active++;
    }
    created.incrementAndGet();
    createdByQueue.computeIfAbsent(job.queue, q -> new AtomicLong()).incrementAndGet();
    return jobs.put(job.id, job);
  }

  /** Forgets the job, as a server that lost its database; its id is then unknown. */
  void lose(LabJob job) {
    jobs.remove(job.id, job);
  }

  LabJob get(String id) {
    return jobs.get(id);
  }

  /** Jobs in arrival order. */
  List<LabJob> all() {
    List<LabJob> list = new ArrayList<>(jobs.values());
    list.sort(Comparator.comparingLong(j -> j.seq));
    return list;
  }

  /** Counts a job as no longer active; call once per job. */
  void finished() {
    synchronized (idle) {
      active--;
      if (active == 0) {
        idle.notifyAll();
      }
    }
  }

  long created() {
    return created.get();
  }

  /** Jobs accepted per queue, every one counted, lost and replaced ones too. */
  Map<String, Long> createdByQueue() {
    Map<String, Long> counts = new TreeMap<>();
    createdByQueue.forEach((queue, n) -> counts.put(queue, n.get()));
    return counts;
  }

  long active() {
    synchronized (idle) {
      return active;
    }
  }

  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (active > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
      return true;
    }
  }
}
