package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job with {@code reserve_data}: its machine is held, reachable, and let go on cancel. */
class ReservationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)));

  private final LabHttp http = LAB.http();

  private static ObjectNode reservation(String queue, Object timeout) {
    ObjectNode job = LabHttp.JSON.createObjectNode().put("job_queue", queue);
    ObjectNode data = job.putObject("reserve_data");
    data.putArray("ssh_keys").add("lp:someone");
    if (timeout instanceof Integer seconds) {
      data.put("timeout", seconds);
    } else if (timeout != null) {
      data.put("timeout", timeout.toString());
    }
    return job;
  }

  private void awaitState(String id, String state) {
    Await.until("job " + id + " in " + state, DEADLINE, () -> state.equals(http.state(id)));
  }

  @Test
  void reservedMachineAnnouncesHowToConnectAndStaysHeldWhileOthersRun() {
    String reserved = http.submit(reservation("held-1", 3600));
    awaitState(reserved, "reserve");
    String behind = http.submit(LabHttp.job("held-1", "true"));
    // A whole job on another machine runs while the reservation holds its own.
    String elsewhere = http.submit(LabHttp.job("held-2", "true"));
    Await.until(
        "the other machine's job finished",
        DEADLINE,
        () -> LabJob.TERMINAL.contains(http.state(elsewhere)));

    JsonNode result = http.result(reserved);
    assertThat(result.path("job_state").asText()).isEqualTo("reserve");
    String ip = result.path("device_info").path("device_ip").asText();
    assertThat(ip).startsWith("198.1");
    assertThat(result.path("device_info").path("agent_name").asText()).isEqualTo("held-1-agent");
    assertThat(result.path("reserve_output").asText())
        .contains("*** TESTFLINGER SYSTEM RESERVED ***\n")
        .contains("You can now connect to ubuntu@" + ip + "\n")
        .contains("Reservation will automatically timeout in 3600 seconds\n")
        .contains("To end the reservation sooner use: testflinger-cli cancel " + reserved + "\n")
        .contains("ssh key lp:someone not imported");
    assertThat(result.has("reserve_status")).as("the phase goes on").isFalse();
    assertThat(result.has("test_status")).as("no test_data, no test phase").isFalse();
    assertThat(http.get("/v1/job/" + behind + "/position").body()).isEqualTo("0");

    assertThat(http.cancel(reserved).statusCode()).isEqualTo(200);
    Await.until(
        "the job behind the reservation finished",
        DEADLINE,
        () -> LabJob.TERMINAL.contains(http.state(behind)));
    JsonNode ended = http.result(reserved);
    assertThat(ended.path("job_state").asText()).isEqualTo("complete");
    assertThat(ended.path("reserve_status").asInt()).isEqualTo(LabJob.INTERRUPTED);
  }

  @Test
  void reservationEndsByItselfAtItsTimeoutAndCleansUp() {
    String id = http.submit(reservation("timed", 1));
    Await.until("the reservation ended", DEADLINE, () -> "complete".equals(http.state(id)));

    JsonNode result = http.result(id);
    assertThat(result.path("reserve_status").asInt()).isZero();
    assertThat(result.path("cleanup_status").asInt()).isZero();
    assertThat(result.path("reserve_output").asText()).contains("timeout in 1 seconds");
  }

  @Test
  void testsRunBeforeTheReservationAndTheConnectLineNamesTheTestUser() {
    ObjectNode job = reservation("tested", 0);
    job.putObject("test_data").put("test_cmds", "echo checked").put("test_username", "admin");
    String id = http.submit(job);
    Await.until("the reservation ended", DEADLINE, () -> "complete".equals(http.state(id)));

    JsonNode result = http.result(id);
    assertThat(result.path("test_output").asText()).isEqualTo("checked\n");
    assertThat(result.path("reserve_output").asText())
        .contains(
            "You can now connect to admin@"
                + result.path("device_info").path("device_ip").asText());
  }

  @Test
  void timeoutThatIsNoNumberFailsTheReservePhase() {
    String id = http.submit(reservation("vague", "soon"));
    Await.until("the job ended", DEADLINE, () -> "complete".equals(http.state(id)));

    JsonNode result = http.result(id);
    assertThat(result.path("reserve_status").asInt()).isEqualTo(1);
    assertThat(result.path("reserve_output").asText()).contains("not a number of seconds: soon");
  }

  @Test
  void keyOfNoKnownKindIsRefusedAtSubmission() {
    ObjectNode job = reservation("keys", 60);
    ((ObjectNode) job.get("reserve_data")).putArray("ssh_keys").add("lp:fine").add("someone");

    HttpResponse<String> response = http.postJson("/v1/job", job);

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(LabHttp.json(response).path("detail").path("json"))
        .isEqualTo(
            LabHttp.json(
                "{\"reserve_data\": {\"ssh_keys\": {\"1\":"
                    + " [\"String does not match expected pattern.\"]}}}"));
  }

  @Test
  void machinesKeepTheirAddressesAndEachHasItsOwn() {
    DeviceAddresses one = new DeviceAddresses();
    DeviceAddresses other = new DeviceAddresses();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      String name = "m" + i + "-agent";
      String address = one.of(name);
      assertThat(other.of(name)).isEqualTo(address);
      assertThat(seen.add(address)).as("address of " + name + " taken already").isTrue();
      String[] octets = address.split("\\.");
      assertThat(octets[0]).isEqualTo("198");
      assertThat(Integer.parseInt(octets[1])).isIn(18, 19);
      assertThat(Integer.parseInt(octets[3])).isBetween(1, 254);
    }
  }
}
