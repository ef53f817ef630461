package io.tfleet.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job's {@code reserve_data}: whose keys the reserved machine lets in, and for how long the agent
 * holds it before its cleanup.
 *
 * @param sshKeys {@code lp:USER} (Launchpad) or {@code gh:USER} (GitHub), as the server's schema
 *     allows; the agent imports them with {@code ssh-import-id}
 * @param timeout whole seconds; agents cap it at their {@code max_reserve_timeout} (6 hours unless
 *     configured)
 */
public record ReserveData(List<String> sshKeys, Duration timeout) {
  /** The server's schema for each key. */
  private static final Pattern SSH_KEY = Pattern.compile("(lp|gh):\\S+");

  public ReserveData {
    sshKeys = List.copyOf(sshKeys);
    for (String key : sshKeys) {
      if (!SSH_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("ssh key '" + key + "' is neither lp:USER nor gh:USER");
      }
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException("timeout must be whole seconds >= 0, not " + timeout);
    }
  }

  /** Puts this as the job's {@code reserve_data}, replacing any it had; returns the job. */
  public ObjectNode applyTo(ObjectNode job) {
    ObjectNode data = job.putObject("reserve_data");
    ArrayNode keys = data.putArray("ssh_keys");
    sshKeys.forEach(keys::add);
    data.put("timeout", timeout.toSeconds());
    return job;
  }
}
