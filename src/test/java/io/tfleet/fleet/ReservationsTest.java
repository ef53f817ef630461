package io.tfleet.fleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ReserveData;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Reservations.Access;
import io.tfleet.fleet.Reservations.Planned;
import io.tfleet.fleet.Reservations.Reserved;
import io.tfleet.fleet.Reservations.Step;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.LabHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations in this JVM against the lab in this JVM: rounds, exactly once, watching, filing. */
class ReservationsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Reservations.Pace FAST =
      new Reservations.Pace(Duration.ofMillis(50), Duration.ofMillis(50));

  @TempDir Path dir;

  /** What the reservations told, by machine. */
  private static final class Told implements Reservations.Listener {
    final Map<String, Access> reachable = new ConcurrentHashMap<>();
    final Map<String, Reserved> ended = new ConcurrentHashMap<>();
    final List<String> notices = new ArrayList<>();

    @Override
    public void notice(String message) {
      notices.add(message);
    }

    @Override
    public void reachable(String machine, Access access) {
      reachable.put(machine, access);
    }

    @Override
    public void ended(Reserved reserved) {
      ended.put(reserved.machine(), reserved);
    }
  }

  private static TestflingerClient client(Lab lab) {
    return new TestflingerClient(lab.url(), Duration.ofSeconds(10));
  }

  private static FleetSettings settings() {
    return FleetSettings.defaults()
        .withBackoff(
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
  }

  private static ReserveData data(Duration timeout) {
    return new ReserveData(List.of("lp:someone"), timeout);
  }

  /** Runs the mixed template on {@code machines} to the end, as tfleet run does. */
  private void run(Lab lab, OutputTree tree, List<String> machines) throws Exception {
    Template template = Template.read(FleetFiles.template(dir, MIXED_TEMPLATE), dir);
    List<RenderedJob> jobs = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      jobs.add(template.render(new MachineId(machines.get(i), i + 1)));
    }
    try (Fleet fleet =
        new Fleet(client(lab), FleetState.load(tree, jobs), FleetEvents.NONE, settings())) {
      fleet.submit();
      fleet.monitor(Duration.ofMillis(50));
    }
  }

  private static LabConfig lab() {
    return LabConfig.defaults().withPhaseTime(Duration.ofMillis(20));
  }

  @Test
  void failedMachineIsReservedInANewRoundAndItsReservationFiledWhenItEnds() throws Exception {
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(lab())) {
      run(lab, tree, List.of("pass-1", "fail-1"));
      Told told = new Told();
      Reservations reservations =
          new Reservations(client(lab), tree, settings(), told).withPace(FAST);

      long searchesOfTheRun = lab.stats().requestCount("GET /v1/job/search");
      List<String> failed = reservations.notPassed();
      List<Planned> plan = reservations.plan(failed, data(Duration.ofSeconds(1)));
      List<Reserved> reserved =
          reservations.watch(reservations.submit(plan), /* untilEnded= */ true);

      assertThat(failed).containsExactly("fail-1");
      assertThat(plan).extracting(Planned::step).containsExactly(Step.SUBMIT);
      assertThat(reserved).hasSize(1);
      Reserved one = reserved.get(0);
      assertThat(one.reachable()).isTrue();
      assertThat(one.endState()).isEqualTo("complete");
      assertThat(one.problem()).isNull();
      assertThat(told.reachable.get("fail-1").sshCommand()).matches("ssh ubuntu@198\\.1[89]\\..*");
      assertThat(told.reachable.get("fail-1").until()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}.*");
      assertThat(told.ended).containsKey("fail-1");
      // Once reachable, the reservation is found by its run tag until it is no longer active.
      assertThat(lab.stats().requestCount("GET /v1/job/search")).isGreaterThan(searchesOfTheRun);

      MachineFolder folder = tree.machine("fail-1");
      JsonNode earlier =
          LabHttp.json(Files.readString(folder.dir().resolve("round-1/result.json")));
      assertThat(earlier.path("test_status").asInt()).isEqualTo(3);
      assertThat(folder.jobId()).contains(one.jobId());
      assertThat(folder.result().orElseThrow().path("reserve_status").asInt()).isZero();
      assertThat(Files.readString(folder.dir().resolve("reserve_output.txt")))
          .contains("You can now connect to ubuntu@");
      String yaml = Files.readString(folder.dir().resolve(MachineFolder.JOB_YAML));
      assertThat(yaml).contains("reserve_data").contains("lp:someone").doesNotContain("test_data");
      assertThat(Files.exists(tree.machine("pass-1").dir().resolve("round-1"))).isFalse();
      // Two run jobs and one reservation, sent once.
      assertThat(lab.stats().jobsCreated()).isEqualTo(3);
      JsonNode sent = LabHttp.json(new LabHttp(lab).get("/v1/job/" + one.jobId()));
      assertThat(sent.path("tags").toString()).contains("tfleet-run-");
      assertThat(sent.has("test_data")).isFalse();
    }
  }

  @Test
  void reservationWhoseAnswerWasNotRecordedIsAdoptedNotSentAgain() throws Exception {
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(lab())) {
      LabHttp http = new LabHttp(lab);
      // As a tfleet reserve leaves it that stopped after sending and before recording the answer.
      ObjectNode job = ReservationJobs.job("m1", null, data(Duration.ofHours(1)));
      MachineFolder folder = tree.machine("m1").create();
      folder.writeJobYaml(ReservationJobs.yaml(job));
      String id = java.util.UUID.randomUUID().toString();
      folder.writePendingJobId(id);
      http.submit(job.deepCopy().put("job_id", id));
      Told told = new Told();
      Reservations reservations =
          new Reservations(client(lab), tree, settings(), told).withPace(FAST);

      List<Planned> plan = reservations.plan(List.of("m1"), data(Duration.ofMinutes(5)));
      List<Reserved> reserved = reservations.watch(reservations.submit(plan), false);

      assertThat(plan).extracting(Planned::step).containsExactly(Step.RESUME);
      assertThat(reserved.get(0).jobId()).isEqualTo(id);
      assertThat(reserved.get(0).reachable()).isTrue();
      assertThat(folder.jobId()).contains(id);
      assertThat(folder.pendingJobId()).isEmpty();
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
      assertThat(lab.stats().requestCount("POST /v1/job")).isEqualTo(1);
      http.cancel(id);
      Await.idle(lab);
    }
  }

  @Test
  void unfinishedReservationIsWatchedAgainAndFiledOnceCancelled() throws Exception {
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(lab())) {
      Told told = new Told();
      Reservations first = new Reservations(client(lab), tree, settings(), told).withPace(FAST);
      List<Reserved> reserved =
          first.watch(
              first.submit(first.plan(List.of("m1"), data(Duration.ofHours(1)))),
              /* untilEnded= */ false);
      String id = reserved.get(0).jobId();
      assertThat(reserved.get(0).reachable()).isTrue();
      assertThat(reserved.get(0).over()).isFalse();
      assertThat(tree.manifest().orElseThrow().server()).isEqualTo(lab.url().toString());

      Reservations again = new Reservations(client(lab), tree, settings(), told).withPace(FAST);
      List<Planned> plan = again.plan(again.notPassed(), data(Duration.ofMinutes(5)));
      List<Reserved> adopted = again.watch(again.submit(plan), /* untilEnded= */ false);
      new LabHttp(lab).cancel(id);
      List<Reserved> ended = again.watch(adopted, /* untilEnded= */ true);

      assertThat(plan).extracting(Planned::step).containsExactly(Step.ADOPT);
      assertThat(ended.get(0).jobId()).isEqualTo(id);
      assertThat(ended.get(0).reachable()).isTrue();
      assertThat(ended.get(0).endState()).isIn("cancelled", "complete");
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
      assertThat(Results.filed("m1", tree.machine("m1").read())).isPresent();
    }
  }

  @Test
  void machineWhoseTestIsStillGoingIsNotReserved() throws Exception {
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(lab())) {
      LabHttp http = new LabHttp(lab);
      Template template = Template.read(FleetFiles.template(dir, MIXED_TEMPLATE), dir);
      List<RenderedJob> hold = List.of(template.render(new MachineId("hold-1", 1)));
      try (Fleet fleet =
          new Fleet(client(lab), FleetState.load(tree, hold), FleetEvents.NONE, settings())) {
        fleet.submit();
      }
      String id = tree.machine("hold-1").jobId().orElseThrow();
      Told told = new Told();
      Reservations reservations =
          new Reservations(client(lab), tree, settings(), told).withPace(FAST);

      assertThat(reservations.notPassed()).isEmpty();
      assertThat(told.notices)
          .containsExactly("hold-1: left out: its job " + id + " is not finished");
      assertThatThrownBy(
              () -> reservations.plan(List.of("hold-1", "../x"), data(Duration.ofHours(1))))
          .isInstanceOf(InputException.class)
          .hasMessageContaining("hold-1: its job " + id + " is not finished")
          .hasMessageContaining("machine id '../x'");
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
      http.cancel(id);
      Await.idle(lab);
    }
  }

  @Test
  void failedMachinesWithoutAJobToReserveWithAreLeftOutAndSaidSo() throws Exception {
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    new io.tfleet.store.RunManifest(
            "http://127.0.0.1:9", List.of("half-1", "never-1"), null, null, "tag", null, "now")
        .write(tree.root());
    MachineFolder half = tree.machine("half-1").create();
    half.writeJobYaml("job_queue: half-1\ntest_data:\n  test_cmds: \"true\"\n");
    half.writePendingJobId(java.util.UUID.randomUUID().toString());
    try (Lab lab = Lab.start(lab())) {
      Told told = new Told();
      Reservations reservations =
          new Reservations(client(lab), tree, settings(), told).withPace(FAST);

      List<String> failed = reservations.notPassed();
      List<Planned> named = reservations.plan(List.of("never-1"), data(Duration.ofHours(1)));

      assertThat(failed).isEmpty();
      assertThat(told.notices)
          .containsExactly(
              "half-1: left out: the submission of its job stopped halfway; carry its run on",
              "never-1: left out: the tree has no job.yaml for it; name it to reserve it with"
                  + " {job_queue: never-1}");
      assertThat(named.get(0).job().path("job_queue").asText()).isEqualTo("never-1");
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }
}
