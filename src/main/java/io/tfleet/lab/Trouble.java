package io.tfleet.lab;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The lab trouble a lab makes on purpose, so tests can tell it from a test failing: provisions that
 * fail, jobs the server loses, agents that go offline in the middle of a job; and the machines set
 * up to behave otherwise ({@link MachineSetup}).
 *
 * <p>Which jobs have trouble depends only on the seed, the queue and how many jobs that queue's
 * machine has taken ({@link #forJob}), so the same seed and the same jobs per queue give the same
 * trouble however the queues interleave, and a test can work out beforehand what each attempt of
 * each machine meets. A job has at most one kind of trouble: the rates share one draw.
 *
 * @param provisionFailureRate share of jobs whose provision phase exits 1
 * @param loseJobRate share of jobs the server loses once their setup phase ends
 * @param agentOfflineRate share of jobs whose machine goes offline during their provision phase
 * @param offlineFor how long a machine that went offline stays so after that job ends
 * @param seed picks the jobs
 * @param machines queue to how its machine is set up; queues not named behave as every machine
 */
public record Trouble(
    double provisionFailureRate,
    double loseJobRate,
    double agentOfflineRate,
    Duration offlineFor,
    long seed,
    Map<String, MachineSetup> machines) {

  /** What happens to one job. */
  public enum Kind {
    /** Nothing: the job runs as the machine's setup says. */
    NONE,
    /** The provision phase exits 1; the job skips to cleanup and ends complete. */
    PROVISION_FAILS,
    /** Once setup ends the server has no such job: 204 for its result, as for an unknown id. */
    JOB_LOST,
    /** The provision phase exits 46 and the agent marks itself offline, as on a failed recovery. */
    AGENT_OFFLINE
  }

  /**
   * One job that had trouble.
   *
   * @param jobNumber the job's place among the jobs its queue's machine took, from 1
   */
  public record Event(String queue, String jobId, long jobNumber, Kind kind) {
    public Event {
      Objects.requireNonNull(queue, "queue");
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** How long a machine that went offline stays so unless told otherwise. */
  public static final Duration DEFAULT_OFFLINE_FOR = Duration.ofSeconds(5);

  public Trouble {
    checkRate("provision failure", provisionFailureRate);
    checkRate("lose job", loseJobRate);
    checkRate("agent offline", agentOfflineRate);
    // A little slack for rates such as 0.7 + 0.2 + 0.1 that add up to a hair over 1.
    if (provisionFailureRate + loseJobRate + agentOfflineRate > 1 + 1e-9) {
      throw new IllegalArgumentException("the trouble rates add up to more than 1");
    }
    Objects.requireNonNull(offlineFor, "offlineFor");
    if (offlineFor.isNegative()) {
      throw new IllegalArgumentException("offlineFor < 0");
    }
    machines = Map.copyOf(Objects.requireNonNull(machines, "machines"));
    for (String queue : machines.keySet()) {
      LabConfig.checkQueueName(queue);
    }
  }

  private static void checkRate(String what, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(what + " rate must be between 0 and 1, not " + rate);
    }
  }

  /** No trouble, every machine plain. */
  public static Trouble none() {
    return new Trouble(0, 0, 0, DEFAULT_OFFLINE_FOR, 1, Map.of());
  }

  public Trouble withProvisionFailureRate(double rate) {
    return new Trouble(rate, loseJobRate, agentOfflineRate, offlineFor, seed, machines);
  }

  public Trouble withLoseJobRate(double rate) {
    return new Trouble(provisionFailureRate, rate, agentOfflineRate, offlineFor, seed, machines);
  }

  /** Machines go offline in that share of jobs, and stay so for {@code offlineFor} after each. */
  public Trouble withAgentOffline(double rate, Duration offlineFor) {
    return new Trouble(provisionFailureRate, loseJobRate, rate, offlineFor, seed, machines);
  }

  public Trouble withSeed(long seed) {
    return new Trouble(
        provisionFailureRate, loseJobRate, agentOfflineRate, offlineFor, seed, machines);
  }

  /** Queue to how its machine is set up, replacing the earlier map. */
  public Trouble withMachines(Map<String, MachineSetup> machines) {
    return new Trouble(
        provisionFailureRate, loseJobRate, agentOfflineRate, offlineFor, seed, machines);
  }

  /** How the queue's machine is set up. */
  public MachineSetup machine(String queue) {
    return machines.getOrDefault(queue, MachineSetup.plain());
  }

  /** True when no job has trouble; machines may still be set up. */
  public boolean isNone() {
    return provisionFailureRate == 0 && loseJobRate == 0 && agentOfflineRate == 0;
  }

  /**
   * What the {@code n}-th job (from 1) that the queue's machine takes meets. A test that submits
   * one job at a time per machine calls this with the attempt number to know what each attempt
   * meets.
   */
  public Kind forJob(String queue, long n) {
    if (isNone()) {
      return Kind.NONE;
    }
    // One generator per job, so the other queues' jobs cannot shift the draws.
    long h = new SplittableRandom(seed).nextLong() ^ queue.hashCode();
    double draw = new SplittableRandom(new SplittableRandom(h).nextLong() ^ n).nextDouble();
    if (draw < provisionFailureRate) {
      return Kind.PROVISION_FAILS;
    }
    if (draw < provisionFailureRate + loseJobRate) {
      return Kind.JOB_LOST;
    }
    if (draw < provisionFailureRate + loseJobRate + agentOfflineRate) {
      return Kind.AGENT_OFFLINE;
    }
    return Kind.NONE;
  }
}
