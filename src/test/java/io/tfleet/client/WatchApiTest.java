package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watching calls against the lab, over real HTTP. */
class WatchApiTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withPhaseTime(Duration.ofMillis(10)));

  private final LabHttp http = LAB.http();
  private final TestflingerClient client =
      new TestflingerClient(LAB.lab().url(), Duration.ofSeconds(10));
  private final WatchApi watch = new WatchApi(client);

  @TempDir Path dir;

  private String gated(Path gate, String before, String after) {
    return "printf '"
        + before
        + "'; while [ ! -f "
        + gate
        + " ]; do sleep 0.05; done; printf '"
        + after
        + "'";
  }

  private static String text(JobLog log, String phase) {
    return log.phases().stream()
        .filter(p -> p.name().equals(phase))
        .findFirst()
        .orElseThrow()
        .text();
  }

  @Test
  void logFromTheNextFragmentShowsOnlyWhatIsNew() throws Exception {
    Path gate = dir.resolve("go");
    String id = http.submit(LabHttp.job("w1", gated(gate, "one\\n", "two\\n")));
    Await.until(
        "the first line logged",
        DEADLINE,
        () -> http.result(id).path("test_output").asText().equals("one\n"));

    JobLog first = watch.log(id, WatchApi.LogType.OUTPUT, null, 0);
    assertThat(first.phases().stream().map(JobLog.Phase::name))
        .containsExactlyElementsOf(JobLog.PHASES);
    assertThat(text(first, "test")).isEqualTo("one\n");
    assertThat(text(first, "setup")).isNotEmpty();
    int next = first.nextFragment(0);
    assertThat(watch.log(id, WatchApi.LogType.OUTPUT, null, next).isEmpty()).isTrue();

    Files.writeString(gate, "");
    Await.idle(LAB.lab());
    JobLog rest = watch.log(id, WatchApi.LogType.OUTPUT, "test", next);
    assertThat(rest.phases()).hasSize(1);
    assertThat(text(rest, "test")).isEqualTo("two\n");
    assertThat(watch.log(UUID.randomUUID().toString(), WatchApi.LogType.SERIAL, null, 0).isEmpty())
        .isTrue();
    assertThat(client.requestCounts())
        .containsEntry("GET /v1/result/{id}/log/output", 3L)
        .containsEntry("GET /v1/result/{id}/log/serial", 1L);
  }

  @Test
  void positionCountsTheJobsAheadAndEndsWhenTheJobStarts() throws Exception {
    Path gate = dir.resolve("go");
    String busy = http.submit(LabHttp.job("w2", gated(gate, "busy\\n", "")));
    Await.until("the machine busy", DEADLINE, () -> "test".equals(http.state(busy)));
    String second = http.submit(LabHttp.job("w2", "true"));
    String third = http.submit(LabHttp.job("w2", "true"));

    assertThat(watch.position(second)).isEqualTo(OptionalInt.of(0));
    assertThat(watch.position(third)).isEqualTo(OptionalInt.of(1));
    assertThat(watch.position(busy)).isEmpty();
    assertThat(watch.position(UUID.randomUUID().toString())).isEmpty();
    assertThat(watch.queueJobs("w2").stream().map(WatchApi.QueueJob::state))
        .containsExactly("test", "waiting", "waiting");
    Files.writeString(gate, "");
    Await.idle(LAB.lab());
    assertThat(watch.position(third)).isEmpty();
  }

  @Test
  void waitTimesAndAgentsComeForTheWholeFleetInOneRequestEach() throws Exception {
    http.submit(LabHttp.job("w3", "true"));
    Await.idle(LAB.lab());

    Map<String, WatchApi.QueueWaits> named = watch.waitTimes(List.of("w3", "w-none"));
    assertThat(named.keySet()).containsExactly("w3");
    assertThat(named.get("w3").percentile(50))
        .hasValueSatisfying(d -> assertThat(d.isNegative()).isFalse());
    assertThat(named.get("w3").percentile(90)).isPresent();
    // So many names that the query would be too long: all are asked for and the answer filtered.
    List<String> many = new ArrayList<>(List.of("w3"));
    for (int i = 0; i < 200; i++) {
      many.add("some-long-queue-name-" + i);
    }
    assertThat(watch.waitTimes(many).keySet()).containsExactly("w3");
    assertThat(watch.waitTimes(List.of()).keySet()).contains("w3");

    WatchApi.AgentStatus agent =
        watch.agents().stream().filter(a -> a.queues().contains("w3")).findFirst().orElseThrow();
    assertThat(agent.name()).isEqualTo("w3-agent");
    assertThat(agent.state()).isEqualTo("waiting");
    assertThat(agent.provisionStreakType()).isEqualTo("pass");
    assertThat(agent.provisionStreakCount()).isEqualTo(1);
    assertThat(client.requestCounts())
        .containsEntry("GET /v1/queues/wait_times", 3L)
        .containsEntry("GET /v1/agents/data", 1L);
  }

  @Test
  void reservationTellsWhereToConnectOnceReservedAndEndsOnCancel() throws Exception {
    ObjectNode job = LabHttp.job("w4", null);
    new ReserveData(List.of("lp:someone", "gh:other"), Duration.ofHours(2)).applyTo(job);
    assertThat(job.path("reserve_data").path("timeout").asLong()).isEqualTo(7200);
    String id = client.submit(job);
    Await.until("the machine reserved", DEADLINE, () -> "reserve".equals(http.state(id)));

    ObjectNode result = client.result(id).orElseThrow();
    DeviceInfo device = DeviceInfo.of(result).orElseThrow();
    assertThat(device.agentName()).isEqualTo("w4-agent");
    ReservedAccess access =
        ReservedAccess.parse(result.path("reserve_output").asText()).orElseThrow();
    assertThat(access.sshCommand()).isEqualTo("ssh ubuntu@" + device.deviceIp());
    assertThat(access.expiresAt()).isNotBlank();
    JobLog reserve = watch.log(id, WatchApi.LogType.OUTPUT, "reserve", 0);
    assertThat(ReservedAccess.parse(text(reserve, "reserve"))).hasValue(access);

    client.cancel(id);
    Await.idle(LAB.lab());
    assertThat(http.result(id).path("reserve_status").asInt()).isNotZero();
  }

  @Test
  void reserveDataRefusesKeysAndTimeoutsTheServerWould() {
    assertThatThrownBy(() -> new ReserveData(List.of("someone"), Duration.ofHours(1)))
        .hasMessageContaining("neither lp:USER nor gh:USER");
    assertThatThrownBy(() -> new ReserveData(List.of(), Duration.ofMillis(1500)))
        .hasMessageContaining("whole seconds");
    assertThat(DeviceInfo.of(LabHttp.json("{\"job_state\": \"setup\"}"))).isEmpty();
    assertThat(ReservedAccess.parse("BEGIN reservation\n")).isEmpty();
    assertThat(
            ReservedAccess.parse(
                "You can now connect to admin@10.1.2.3\n"
                    + "Reservation expires at: [2026-01-01T02:00:00.000001]\n"))
        .hasValue(new ReservedAccess("admin", "10.1.2.3", "2026-01-01T02:00:00.000001"));
    assertThat(Set.copyOf(JobLog.PHASES)).hasSize(7);
  }
}
