package io.tfleet.cli;

import io.tfleet.fleet.Durations;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.job.InputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** How jobs are watched until they end. */
public final class WatchOptions {
  @Option(
      names = "--poll-interval",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Longest pause between monitoring rounds; decimals allowed (default: ${DEFAULT-VALUE}).")
  double pollInterval;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Cancel a job not finished this long after submission (e.g. 90m, 2h, 1h30m).")
  String timeout;

  @Option(
      names = "--cancel-on-interrupt",
      description = "On Ctrl-C or SIGTERM, also cancel the run's unfinished jobs.")
  boolean cancelOnInterrupt;

  @Option(
      names = "--status-pattern",
      paramLabel = "REGEX",
      description =
          "The hw status rule: the first group of the first match in the test output"
              + " (default: \"status\":\\s*\"([^\"]+)\").")
  String statusPattern;

  @Option(
      names = "--artifacts",
      description =
          "Download each finished job's artifact bundle (what its test commands left in"
              + " artifacts/) and unpack it in the machine's artifacts/ folder.")
  boolean artifacts;

  @Option(
      names = "--baseline",
      paramLabel = "DIR",
      description =
          "An earlier run's output tree: the reports compare this run with it (comparison.json),"
              + " and the summary counts the machines that regressed.")
  Path baseline;

  Duration pollInterval() throws InputException {
    if (!(pollInterval > 0) || Double.isInfinite(pollInterval)) {
      throw new InputException(
          "--poll-interval must be a number of seconds > 0, not " + pollInterval);
    }
    return Duration.ofMillis(Math.max(1, Math.round(pollInterval * 1000)));
  }

  /**
   * The baseline tree as it stands before the run (so it may be the run's own tree); null without
   * --baseline.
   */
  TreeSnapshot baseline() throws InputException {
    return baseline == null ? null : TreeSnapshot.read(baseline);
  }

  /** Adds the time limit, the hw status rule and the artifacts download to {@code settings}. */
  FleetSettings applyTo(FleetSettings settings) throws InputException {
    if (artifacts) {
      settings = settings.withArtifacts(true);
    }
    if (timeout != null) {
      try {
        Duration limit = Durations.parse(timeout);
        if (limit.isZero()) {
          throw new InputException("--timeout must be longer than 0");
        }
        settings = settings.withJobTimeout(limit);
      } catch (IllegalArgumentException e) {
        throw new InputException("--timeout: " + e.getMessage());
      }
    }
    if (statusPattern != null) {
      Pattern pattern;
      try {
        pattern = Pattern.compile(statusPattern);
      } catch (PatternSyntaxException e) {
        throw new InputException(
            "--status-pattern: not a regular expression: " + e.getDescription());
      }
      if (pattern.matcher("").groupCount() < 1) {
        throw new InputException(
            "--status-pattern needs a group, such as status=(\\w+): its first group is the status");
      }
      settings = settings.withStatusPattern(pattern);
    }
    return settings;
  }
}
