package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.fleet.Reservations.Access;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a reserved machine counts as reachable, and what its access line says. */
class ReservationWatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode result(String reserveOutput) {
    var result = JSON.createObjectNode().put("job_state", "reserve");
    result.putObject("device_info").put("agent_name", "a").put("device_ip", "198.18.0.7");
    if (reserveOutput != null) {
      result.put("reserve_output", reserveOutput);
    }
    return result;
  }

  @Test
  void connectLineGivesTheCommandAndTheEndInWholeSeconds() {
    Optional<Access> access =
        ReservationWatch.access(
            result(
                "*** TESTFLINGER SYSTEM RESERVED ***\n"
                    + "You can now connect to admin@198.18.0.7\n"
                    + "Reservation expires at: [2026-07-05T03:12:04.969077+00:00]\n"),
            "reserve",
            Duration.ZERO);

    assertThat(access).contains(new Access("ssh admin@198.18.0.7", "2026-07-05T03:12:04+00:00"));
  }

  @Test
  void reservePhaseWithoutItsLineIsNotReachableUntilAMinuteHasPassed() {
    JsonNode importing = result("BEGIN reservation\n");

    assertThat(ReservationWatch.access(importing, "reserve", Duration.ofSeconds(59))).isEmpty();
    assertThat(ReservationWatch.access(importing, "reserve", Duration.ofMinutes(1)))
        .contains(new Access("ssh ubuntu@198.18.0.7", null));
    assertThat(ReservationWatch.access(importing, "cleanup", Duration.ofMinutes(5))).isEmpty();
  }

  @Test
  void deviceNotProvisionedYetIsNotReachable() {
    var result = JSON.createObjectNode().put("job_state", "reserve");
    result.put("reserve_output", "You can now connect to ubuntu@198.18.0.7\n");

    assertThat(ReservationWatch.access(result, "reserve", Duration.ofHours(1))).isEmpty();
  }
}
