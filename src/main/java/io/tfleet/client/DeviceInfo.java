package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a job's device is: the {@code device_info} an agent adds to the job's result once it has
 * provisioned the device.
 *
 * @param deviceIp the address to reach the device at (ssh for a reservation)
 */
public record DeviceInfo(String agentName, String deviceIp) {
  public DeviceInfo {
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(deviceIp, "deviceIp");
  }

  /** The result's {@code device_info}; empty before the device is provisioned, or without one. */
  public static Optional<DeviceInfo> of(JsonNode result) {
    JsonNode info = result == null ? null : result.get("device_info");
    if (info == null || !info.isObject()) {
      return Optional.empty();
    }
    String ip = info.path("device_ip").asText("");
    if (ip.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DeviceInfo(info.path("agent_name").asText(""), ip));
  }
}
