package io.tfleet.client;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to get onto a reserved machine, as its agent prints it in the reserve phase's output once the
 * machine is reserved ({@code You can now connect to USER@HOST}, then when the reservation
 * expires).
 *
 * @param expiresAt the agent's own words for the end, such as {@code 2026-07-05T03:12:04.969077};
 *     null when it printed none
 */
public record ReservedAccess(String user, String host, String expiresAt) {
  private static final Pattern CONNECT =
      Pattern.compile("(?m)^You can now connect to (\\S+)@(\\S+)\\s*$");
  private static final Pattern EXPIRES =
      Pattern.compile("(?m)^Reservation expires at: \\[([^\\]]+)]\\s*$");

  public ReservedAccess {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
  }

  /**
   * Reads the reserve phase's output ({@code reserve_output} of the result, or the reserve phase's
   * log); empty until the agent has printed the connect line. The last such line counts.
   */
  public static Optional<ReservedAccess> parse(String reserveOutput) {
    if (reserveOutput == null) {
      return Optional.empty();
    }
    Matcher connect = CONNECT.matcher(reserveOutput);
    String user = null;
    String host = null;
    while (connect.find()) {
      user = connect.group(1);
      host = connect.group(2);
    }
    if (user == null) {
      return Optional.empty();
    }
    Matcher expires = EXPIRES.matcher(reserveOutput);
    String end = null;
    while (expires.find()) {
      end = expires.group(1);
    }
    return Optional.of(new ReservedAccess(user, host, end));
  }

  /** The command that connects, such as {@code ssh ubuntu@10.0.0.5}. */
  public String sshCommand() {
    return "ssh " + user + "@" + host;
  }
}
