package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A job's {@code reserve_data}: the keys to let in and how long the machine stays reserved, and
 * what the upstream agent prints when the reservation begins.
 *
 * @param sshKeys {@code lp:USER} or {@code gh:USER}, as upstream's schema allows
 * @param timeout how long the machine is held; already capped at {@link #MAX_TIMEOUT}; null when
 *     the job's timeout is no number of seconds, which fails the reserve phase as it fails the
 *     agent
 * @param givenTimeout the timeout as the job gave it, for the message when it is no number
 * @param username who the connect line names: the job's {@code test_data.test_username}, else
 *     {@code ubuntu}
 */
record Reservation(List<String> sshKeys, Duration timeout, String givenTimeout, String username) {
  /** What upstream's agent holds a machine for when the job names no timeout. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  /** An agent's {@code max_reserve_timeout} when its configuration sets none. */
  static final Duration MAX_TIMEOUT = Duration.ofHours(6);

  /** Upstream's schema for each of {@code reserve_data.ssh_keys}. */
  private static final Pattern SSH_KEY = Pattern.compile("^(lp|gh):(\\S+)$");

  /** Python's {@code isoformat()} of an aware time, as the agent prints it. */
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

  Reservation {
    sshKeys = List.copyOf(sshKeys);
  }

  /** The job's reservation, or null when its definition has no {@code reserve_data}. */
  static Reservation of(JsonNode definition) {
    JsonNode data = definition.get("reserve_data");
    if (data == null || !data.isObject()) {
      return null;
    }
    List<String> keys = new ArrayList<>();
    data.path("ssh_keys").forEach(k -> keys.add(k.asText()));
    JsonNode given = data.get("timeout");
    Duration timeout = DEFAULT_TIMEOUT;
    String text = given == null || given.isNull() ? null : given.asText();
    if (text != null) {
      timeout = seconds(text.strip());
    }
    if (timeout != null && timeout.compareTo(MAX_TIMEOUT) > 0) {
      timeout = MAX_TIMEOUT;
    }
    String user = definition.path("test_data").path("test_username").asText("");
    return new Reservation(keys, timeout, text, user.isEmpty() ? "ubuntu" : user);
  }

  /** Python's {@code int()} of the value: whole seconds, maybe signed; null for anything else. */
  private static Duration seconds(String text) {
    if (!text.matches("[+-]?[0-9]{1,12}")) {
      return null;
    }
    return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
  }

  /**
   * What is wrong with a submitted {@code reserve_data}, in upstream's validation shape; empty when
   * nothing is.
   */
  static Map<String, Object> problems(JsonNode data) {
    Map<String, Object> problems = new LinkedHashMap<>();
    if (data == null || data.isNull()) {
      return problems;
    }
    if (!data.isObject()) {
      problems.put("_schema", List.of("Invalid input type."));
      return problems;
    }
    JsonNode keys = data.get("ssh_keys");
    if (keys != null && !keys.isNull()) {
      if (!keys.isArray()) {
        problems.put("ssh_keys", List.of("Not a valid list."));
      } else {
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
          JsonNode key = keys.get(i);
          if (!key.isTextual()) {
            items.put(String.valueOf(i), List.of("Not a valid string."));
          } else if (!SSH_KEY.matcher(key.asText()).matches()) {
            items.put(String.valueOf(i), List.of("String does not match expected pattern."));
          }
        }
        if (!items.isEmpty()) {
          problems.put("ssh_keys", items);
        }
      }
    }
    return problems;
  }

  /**
   * The reserve phase's output: that the lab imports no keys, then the lines the upstream agent
   * prints once the machine is reserved, which clients read the connect line from.
   */
  String announcement(String jobId, String agent, String deviceIp, OffsetDateTime now) {
    StringBuilder text = new StringBuilder();
    for (String key : sshKeys) {
      text.append("tfleet-lab: ")
          .append(agent)
          .append(": ssh key ")
          .append(key)
          .append(" not imported: a lab machine is simulated and has no sshd of its own\n");
    }
    OffsetDateTime start = now.withOffsetSameInstant(ZoneOffset.UTC);
    text.append("*** TESTFLINGER SYSTEM RESERVED ***\n")
        .append("You can now connect to ")
        .append(username)
        .append('@')
        .append(deviceIp)
        .append('\n')
        .append("Current time:           [")
        .append(ISO.format(start))
        .append("]\n")
        .append("Reservation expires at: [")
        .append(ISO.format(start.plus(timeout)))
        .append("]\n")
        .append("Reservation will automatically timeout in ")
        .append(timeout.toSeconds())
        .append(" seconds\n")
        .append("To end the reservation sooner use: testflinger-cli cancel ")
        .append(jobId)
        .append('\n');
    return text.toString();
  }
}
