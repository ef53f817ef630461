package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Schema schema;

  @TempDir Path dir;

  @BeforeAll
  static void loadSchema() throws Exception {
    try (InputStream in =
        SummaryJsonTest.class.getResourceAsStream("/report/summary.schema.json")) {
      schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
              .getSchema(JSON.readTree(in));
    }
  }

  private JsonNode write(RunReport report) throws Exception {
    Path file = dir.resolve("summary.json");
    SummaryJson.write(report, file);
    return JSON.readTree(file.toFile());
  }

  @Test
  void totalsAddUpAndMatchTheMachines() throws Exception {
    Random random = new Random(42);
    List<MachineReport> machines = new ArrayList<>();
    for (Verdict verdict : Verdict.values()) {
      machines.addAll(Fixtures.many(random.nextInt(20), verdict));
    }
    JsonNode summary = write(Fixtures.run(machines));
    JsonNode totals = summary.get("totals");

    int sum = 0;
    for (Verdict verdict : Verdict.values()) {
      long listed = 0;
      for (JsonNode m : summary.get("machines")) {
        listed += m.get("verdict").asText().equals(verdict.key()) ? 1 : 0;
      }
      assertThat(totals.get(verdict.key()).asLong()).as(verdict.key()).isEqualTo(listed);
      sum += totals.get(verdict.key()).asInt();
    }
    assertThat(totals.get("machines").asInt()).isEqualTo(sum).isEqualTo(machines.size());
    assertThat(summary.get("machines")).hasSize(machines.size());
  }

  @Test
  void parsesBackIntoTheSameValues() throws Exception {
    RunReport report = Fixtures.sixMachines();
    Path file = dir.resolve("summary.json");
    SummaryJson.write(report, file);

    assertThat(JSON.readValue(file.toFile(), SummaryJson.Summary.class))
        .isEqualTo(SummaryJson.Summary.of(report));
  }

  @Test
  void machineEntryHasEveryFieldWithNullsAndIsoInstants() throws Exception {
    JsonNode machines = write(Fixtures.sixMachines()).get("machines");
    JsonNode failed = machines.get(1);
    JsonNode error = machines.get(2);

    assertThat(failed.get("machine").asText()).isEqualTo("202008-28130");
    assertThat(failed.get("test_status").asInt()).isEqualTo(1);
    assertThat(failed.get("phase_statuses").fieldNames())
        .toIterable()
        .containsExactly("setup", "provision", "test");
    assertThat(Instant.parse(failed.get("finished_at").asText())).isEqualTo(Fixtures.at(1234.5));
    assertThat(failed.get("duration_seconds").asDouble()).isEqualTo(1228.5);
    assertThat(error.get("job_id").isNull()).isTrue();
    assertThat(error.get("duration_seconds").isNull()).isTrue();
    assertThat(error.get("phase_statuses").isEmpty()).isTrue();
  }

  @Test
  void summaryMatchesItsSchema() throws Exception {
    assertThat(schema.validate(write(Fixtures.sixMachines()))).isEmpty();
    assertThat(schema.validate(write(Fixtures.retries()))).isEmpty();
    assertThat(schema.validate(write(Fixtures.repeat()))).isEmpty();
    assertThat(schema.validate(write(new RunReport(null, null, null, List.of())))).isEmpty();
  }

  /** Without this the schema test above could pass against a schema that accepts anything. */
  @Test
  void schemaRejectsAMissingFieldAndAnUnknownVerdict() throws Exception {
    JsonNode summary = write(Fixtures.sixMachines());
    ObjectNode missing = summary.deepCopy();
    ((ObjectNode) missing.get("machines").get(0)).remove("reason");
    ObjectNode unknown = summary.deepCopy();
    ((ObjectNode) unknown.get("machines").get(0)).put("verdict", "flaky");

    ObjectNode badCause = summary.deepCopy();
    ((ObjectNode) badCause.get("machines").get(1)).put("cause", "bad luck");
    ObjectNode noAttempts = summary.deepCopy();
    ((ObjectNode) noAttempts.get("machines").get(1)).remove("attempts");

    assertThat(schema.validate(missing)).isNotEmpty();
    assertThat(schema.validate(unknown)).isNotEmpty();
    assertThat(schema.validate(badCause)).isNotEmpty();
    assertThat(schema.validate(noAttempts)).isNotEmpty();
  }

  @Test
  void machinesCarryTheirCauseAndEveryAttempt() throws Exception {
    JsonNode summary = write(Fixtures.retries());
    JsonNode labThenPassed = summary.get("machines").get(1);
    JsonNode first = labThenPassed.get("attempts").get(0);

    assertThat(summary.get("retries").asInt()).isEqualTo(2);
    assertThat(summary.get("repeat").asInt()).isEqualTo(1);
    assertThat(summary.get("causes").get("infrastructure").asInt()).isEqualTo(1);
    assertThat(summary.get("causes").get("test").asInt()).isEqualTo(1);
    assertThat(labThenPassed.get("machine").asText()).isEqualTo("lab-then-passed");
    assertThat(labThenPassed.get("cause").isNull()).isTrue();
    assertThat(first.get("cause").asText()).isEqualTo("infrastructure");
    assertThat(first.get("dir").asText()).isEqualTo("lab-then-passed/attempt-1");
    assertThat(labThenPassed.get("attempts").get(1).get("dir").isNull()).isTrue();
    assertThat(labThenPassed.get("passed_attempts").asInt()).isEqualTo(1);
    assertThat(labThenPassed.get("failed_attempts").toString()).isEqualTo("[1]");
  }

  @Test
  void aMachineOfOneAttemptHasNoAttemptListButCountsItsAttempt() throws Exception {
    JsonNode machines = write(Fixtures.sixMachines()).get("machines");

    assertThat(machines.get(0).get("attempts").isEmpty()).isTrue();
    assertThat(machines.get(0).get("passed_attempts").asInt()).isEqualTo(1);
    assertThat(machines.get(1).get("cause").asText()).isEqualTo("test");
    assertThat(machines.get(1).get("failed_attempts").toString()).isEqualTo("[1]");
  }

  @Test
  void clockSkewGivesNoDuration() throws Exception {
    MachineReport m =
        MachineReport.builder("m1", Verdict.PASSED)
            .jobId("j")
            .queue("q")
            .state("complete")
            .submittedAt(Fixtures.at(100))
            .finishedAt(Fixtures.at(50))
            .build();

    assertThat(
            write(Fixtures.run(List.of(m))).get("machines").get(0).get("duration_seconds").isNull())
        .isTrue();
  }
}
