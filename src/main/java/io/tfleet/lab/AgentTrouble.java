package io.tfleet.lab;

/**
 * One machine's share of the lab's {@link Trouble}: how many jobs it took, the trouble of the one
 * it runs, its provision streak, and whether it has gone offline.
 */
final class AgentTrouble {
  /**
   * What upstream's device connectors exit with when a recovery failed; the agent then goes
   * offline.
   */
  static final int RECOVERY_FAILED = 46;

  /** A provision streak, as {@code GET /v1/agents/data} shows it. */
  record Streak(String type, int count) {}

  /** A simulated phase: what it printed and its exit status. */
  record Phase(String output, int status) {}

  private final String queue;
  private final Trouble trouble;
  private final MachineSetup setup;

  private long jobs; // guarded by this
  private Trouble.Kind current = Trouble.Kind.NONE; // guarded by this
  private String streakType; // guarded by this
  private int streakCount; // guarded by this

  /** Upstream agent's comment while it is offline; null while it works. */
  private String offline; // guarded by this

  AgentTrouble(String queue, Trouble trouble) {
    this.queue = queue;
    this.trouble = trouble;
    this.setup = trouble.machine(queue);
    this.streakType = setup.streakType() == null ? "pass" : setup.streakType();
    this.streakCount = setup.streakCount();
  }

  MachineSetup setup() {
    return setup;
  }

  /** The machine takes its next job; returns the trouble that job will meet. */
  synchronized Trouble.Event take(String jobId) {
    jobs++;
    current = trouble.forJob(queue, jobs);
    return new Trouble.Event(queue, jobId, jobs, current);
  }

  /** The trouble of the job the machine runs now. */
  synchronized Trouble.Kind current() {
    return current;
  }

  /**
   * The simulated provision phase of the job the machine runs: done, failed, or the machine lost
   * and its agent gone offline, as the job's trouble says.
   */
  synchronized Phase provision(String jobId) {
    switch (current) {
      case PROVISION_FAILS:
        return new Phase(
            "Provisioning "
                + queue
                + " (simulated): failed: the image did not boot (lab trouble:"
                + " --provision-failure-rate)\n",
            1);
      case AGENT_OFFLINE:
        goOffline(jobId);
        return new Phase(
            "Provisioning "
                + queue
                + " (simulated): the machine stopped answering and its recovery failed; the agent"
                + " sets itself offline (lab trouble: --agent-offline-rate)\n",
            RECOVERY_FAILED);
      default:
        return new Phase("Provisioning " + queue + " (simulated): done\n", 0);
    }
  }

  /** The line a simulated test prints: the machine certified, unless it is set up to fail. */
  String simulatedTest(String agent) {
    boolean fails = setup.testStatus() != null && setup.testStatus() != 0;
    return "{\"status\": \""
        + (fails ? "Failed" : "Certified")
        + "\", \"machine\": \""
        + agent
        + "\"}\n";
  }

  /**
   * Ends a test phase as the machine is set up to: its extra output printed, its exit status the
   * set one, with a line saying so when commands ran and exited otherwise. A test that did not run
   * to its end (cancelled, timed out) keeps its status.
   */
  int endTest(OutputStore output, int status, boolean commandsRan) {
    output.appendPattern("test", setup.testOutputBytes());
    Integer set = setup.testStatus();
    if (set == null || status == LabJob.INTERRUPTED || status == CommandRunner.TIMED_OUT) {
      return status;
    }
    if (commandsRan && set != status) {
      output.append(
          "test",
          "tfleet-lab: test status set to "
              + set
              + " for this machine (the commands exited "
              + status
              + ")\n");
    }
    return set;
  }

  /** Counts a provision as upstream's server does: the same outcome again extends the streak. */
  synchronized void provisioned(int status) {
    String type = status == 0 ? "pass" : "fail";
    streakCount = type.equals(streakType) ? streakCount + 1 : 1;
    streakType = type;
  }

  synchronized Streak streak() {
    return new Streak(streakType, streakCount);
  }

  /** The machine's recovery failed during the job: its agent sets itself offline. */
  synchronized void goOffline(String jobId) {
    offline = "Set to offline by agent. Recovery Failed found during " + jobId + " execution.";
  }

  /** Back to work. */
  synchronized void backOnline() {
    offline = null;
  }

  /** The agent's comment while it is offline, or null while it works. */
  synchronized String offline() {
    return offline;
  }
}
