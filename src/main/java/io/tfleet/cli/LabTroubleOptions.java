package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.lab.Trouble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of {@code tfleet lab} that make lab trouble: failed provisions, lost jobs, agents going
 * offline.
 */
public final class LabTroubleOptions {
  @Option(
      names = "--provision-failure-rate",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "Lab trouble: this share of jobs, 0 to 1, fail their provision phase (exit 1), skip their test and end complete after cleanup (default: ${DEFAULT-VALUE}).")
  double provisionFailureRate;

  @Option(
      names = "--lose-job-rate",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "Lab trouble: the server loses this share of jobs, 0 to 1, once their setup phase ends: from then on it answers for them as for unknown ids (default: ${DEFAULT-VALUE}).")
  double loseJobRate;

  @Option(
      names = "--agent-offline-rate",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "Lab trouble: in this share of jobs, 0 to 1, the machine's recovery fails during provisioning (exit 46) and its agent goes offline, for --agent-offline-seconds after that job (default: ${DEFAULT-VALUE}).")
  double agentOfflineRate;

  @Option(
      names = "--agent-offline-seconds",
      paramLabel = "S",
      defaultValue = "5",
      description =
          "How long a machine that went offline stays so after its job ends (default: ${DEFAULT-VALUE}).")
  double agentOfflineSeconds;

  @Option(
      names = "--trouble-seed",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Seed for choosing the jobs that meet lab trouble; the same seed and the same jobs per queue meet the same trouble (default: ${DEFAULT-VALUE}).")
  long troubleSeed;

  /** The lab trouble these flags ask for; machine setups come from the queues file. */
  Trouble trouble() throws InputException {
    for (double rate : new double[] {provisionFailureRate, loseJobRate, agentOfflineRate}) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new InputException(
            "--provision-failure-rate, --lose-job-rate and --agent-offline-rate must be numbers"
                + " from 0 to 1");
      }
    }
    if (provisionFailureRate + loseJobRate + agentOfflineRate > 1 + 1e-9) {
      throw new InputException(
          "--provision-failure-rate, --lose-job-rate and --agent-offline-rate add up to more than"
              + " 1: a job meets one kind of trouble at most");
    }
    if (!(agentOfflineSeconds >= 0) || Double.isInfinite(agentOfflineSeconds)) {
      throw new InputException("--agent-offline-seconds must be a number >= 0");
    }
    return Trouble.none()
        .withProvisionFailureRate(provisionFailureRate)
        .withLoseJobRate(loseJobRate)
        .withAgentOffline(
            agentOfflineRate, Duration.ofMillis(Math.round(agentOfflineSeconds * 1000)))
        .withSeed(troubleSeed);
  }

  /** One line saying which lab trouble is on, so a run's log tells why its machines failed. */
  String line() {
    List<String> parts = new ArrayList<>();
    if (provisionFailureRate > 0) {
      parts.add(provisionFailureRate + " of jobs fail their provision");
    }
    if (loseJobRate > 0) {
      parts.add(loseJobRate + " of jobs are lost after setup");
    }
    if (agentOfflineRate > 0) {
      parts.add(
          agentOfflineRate
              + " of jobs take their machine offline for "
              + agentOfflineSeconds
              + " s after they end");
    }
    return parts.isEmpty()
        ? "lab trouble: none"
        : "lab trouble: " + String.join(", ", parts) + " (seed " + troubleSeed + ")";
  }
}
