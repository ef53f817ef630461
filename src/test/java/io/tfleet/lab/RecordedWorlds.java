package io.tfleet.lab;

import io.tfleet.lab.RecordedWorld.Allowed;
import io.tfleet.lab.RecordedWorld.Wait;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The recordings of the upstream server that the lab is held to, each with its world. */
final class RecordedWorlds {
  private RecordedWorlds() {}

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static Wait finished(String role) {
    return new Wait(role, "finished", r -> LabJob.TERMINAL.contains(r.path("job_state").asText()));
  }

  private static Wait inState(String role, String state) {
    return new Wait(role, "in state " + state, r -> state.equals(r.path("job_state").asText()));
  }

  /** The basic calls: submitting, reading, searching, cancelling, attachments, tokens. */
  static RecordedWorld basics() {
    return new RecordedWorld(
        "shared/reference/upstream-exchanges.json",
        // rec-q1 has a machine; the rest are the other queues the recorded server advertised.
        LabConfig.defaults()
            .withPhaseTime(Duration.ZERO)
            .withQueues(Set.of("rec-q1", "rq-01", "rq-02", "rq-03", "rq-04", "rq-05")),
        // A job finished on rec-q1, and one that waits forever on a queue without a machine.
        List.of("finished", "stranded"),
        Map.ofEntries(
            Map.entry("submit with client job_id and tags", "finished"),
            Map.entry("submit a client job_id", "stranded"),
            Map.entry(
                "submit the same client job_id again (accepted: ids are not unique upstream)",
                "stranded"),
            Map.entry("submit with malformed job_id", "none"),
            Map.entry("job by id", "finished"),
            Map.entry("job by unknown uuid", "unknown"),
            Map.entry("result of unknown uuid", "unknown"),
            Map.entry("result of a finished job", "finished"),
            Map.entry("output log of a finished job", "finished"),
            Map.entry("cancel a finished job", "finished"),
            Map.entry("unknown action", "finished"),
            Map.entry("cancel an unknown job", "unknown"),
            Map.entry("result while waiting for attachments", "held"),
            Map.entry("position while waiting for attachments", "held"),
            Map.entry("upload attachments", "held"),
            Map.entry("upload attachments to an unknown job", "unknown"),
            Map.entry("upload attachments to a job that wants none", "finished"),
            Map.entry("position of a waiting job", "stranded"),
            Map.entry("result of a waiting job", "stranded"),
            Map.entry("cancel a waiting job", "stranded"),
            Map.entry("cancel it again", "stranded"),
            Map.entry("result of a cancelled job", "stranded")),
        Map.of("submit with attachments", "held"),
        Map.of("result of a finished job", finished("finished")),
        Map.of(
            "token with wrong credentials",
            Map.of(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("nobody:wrong".getBytes(StandardCharsets.UTF_8))),
            "a bad bearer token on submit",
            Map.of("Authorization", "Bearer not.a.jwt")),
        Set.of(
            "upload attachments",
            "upload attachments to an unknown job",
            "upload attachments to a job that wants none"),
        List.of(
            new Allowed(
                "result of a finished job",
                Set.of(
                    "$.setup_output: unexpected key",
                    "$.setup_status: unexpected key",
                    "$.provision_output: unexpected key",
                    "$.provision_status: unexpected key",
                    "$.cleanup_output: unexpected key",
                    "$.cleanup_status: unexpected key",
                    "$.device_info: unexpected key"),
                "the recorded agent used the fake device connector, which runs only the test"
                    + " phase; a lab machine walks setup, provision, test and cleanup and posts"
                    + " device_info, as an agent with a real device does"),
            new Allowed(
                "agents data, all",
                Set.of("$[*].identifier: unexpected key"),
                "recorded from agents that sent no identifier; upstream 1.5.0's agents send one"
                    + " (upstream-debugging-exchanges.json), and lab machines answer as those")),
        http -> {},
        // The held job waits on a queue without a machine; the replay cancelled the other.
        List.of("held"));
  }

  /**
   * Watching and debugging: positions behind a busy machine, logs by phase and fragment while a job
   * runs, wait times, agent data with provision streaks, and a reservation cancelled.
   */
  static RecordedWorld debugging() {
    String reservationReason =
        "the recorded agent lacked ssh-import-id, so its reservation failed at once and the job had"
            + " ended (with cleanup) when the recorder asked; a lab reservation holds its machine"
            + " until cancelled, a cancelled lab job stops at the end of its phase, and a lab"
            + " machine walks a provision phase where the fake connector skipped it";
    return new RecordedWorld(
        "shared/reference/upstream-debugging-exchanges.json",
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(20))
            .withQueues(Set.of("q1", "q2", "q3")),
        List.of(),
        Map.ofEntries(
            Map.entry("position of the second", "second"),
            Map.entry("position of the third", "third"),
            Map.entry("position of a running job", "slow"),
            Map.entry("output log during the test phase", "slow"),
            Map.entry("output log of the test phase from the next fragment", "slow"),
            Map.entry("output log, one phase", "slow"),
            Map.entry("output log, unknown phase", "slow"),
            Map.entry("output log, bad start_fragment", "slow"),
            Map.entry("serial log during the test phase", "slow"),
            Map.entry("result during the test phase", "slow"),
            Map.entry("output log of an unknown job", "unknown"),
            Map.entry("unknown log type", "slow"),
            Map.entry("output log of the finished job", "slow"),
            Map.entry("output log again (logs persist)", "slow"),
            Map.entry("position after it started", "slow"),
            Map.entry("result of a job in its reserve phase", "reservation"),
            Map.entry("output log in the reserve phase", "reservation"),
            Map.entry("cancel the reservation", "reservation"),
            Map.entry("result of the cancelled reservation", "reservation")),
        Map.of(
            "submit a slow job", "slow",
            "submit a second job behind it", "second",
            "submit a third, priority 0", "third",
            "submit a reservation", "reservation"),
        Map.of(
            "position of a running job",
            new Wait(
                "slow",
                "taken by its machine",
                r -> !"waiting".equals(r.path("job_state").asText())),
            "output log during the test phase",
            new Wait(
                "slow",
                "printing in its test phase",
                r ->
                    "test".equals(r.path("job_state").asText())
                        && !r.path("test_output").asText().isEmpty()),
            "output log of the finished job",
            finished("slow"),
            "result of a job in its reserve phase",
            inState("reservation", "reserve"),
            "result of the cancelled reservation",
            finished("reservation")),
        Map.of(),
        Set.of(),
        List.of(
            new Allowed(
                "result during the test phase",
                Set.of(
                    "$.provision_output: unexpected key",
                    "$.provision_status: unexpected key",
                    "$.device_info: unexpected key"),
                "the fake connector skips the provision phase, after which a lab machine posts"
                    + " device_info as an agent with a real device does"),
            new Allowed(
                "result of a job in its reserve phase",
                Set.of(
                    "$.cleanup_output: missing key",
                    "$.cleanup_status: missing key",
                    "$.reserve_status: missing key",
                    "$.provision_output: unexpected key",
                    "$.provision_status: unexpected key"),
                reservationReason),
            new Allowed(
                "cancel the reservation", Set.of("status 200, recorded 400"), reservationReason),
            new Allowed(
                "result of the cancelled reservation",
                Set.of(
                    "$.cleanup_output: missing key",
                    "$.cleanup_status: missing key",
                    "$.provision_output: unexpected key",
                    "$.provision_status: unexpected key"),
                reservationReason)),
        // The recorded q2 and q3 had run jobs before, so the wait times name them too.
        http -> {
          for (String queue : List.of("q2", "q3")) {
            String id = http.submit(LabHttp.job(queue, "true"));
            Await.until(
                "the job on " + queue + " finished",
                DEADLINE,
                () -> LabJob.TERMINAL.contains(http.state(id)));
          }
        },
        List.of());
  }
}
