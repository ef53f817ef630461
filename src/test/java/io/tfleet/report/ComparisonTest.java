package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Schema schema;

  @TempDir Path dir;

  @BeforeAll
  static void loadSchema() throws Exception {
    try (InputStream in =
        ComparisonTest.class.getResourceAsStream("/report/comparison.schema.json")) {
      schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
              .getSchema(JSON.readTree(in));
    }
  }

  static MachineReport machine(String id, Verdict verdict, String hw, Integer test) {
    return MachineReport.builder(id, verdict)
        .jobId("job-" + id)
        .state("complete")
        .phaseStatuses(test == null ? Map.of() : Map.of("test", test))
        .hwStatus(hw)
        .reason(verdict.passed() || verdict == Verdict.CANCELLED ? null : "because")
        .build();
  }

  static Comparison.Side side(String path, int machines) {
    return new Comparison.Side(path, null, machines, 0);
  }

  /** One machine of each change, and one more unchanged. */
  static Comparison everyChange() {
    List<MachineReport> before =
        List.of(
            machine("m-fixed", Verdict.FAILED, "Failed", 3),
            machine("m-gone", Verdict.PASSED, "Certified", 0),
            machine("m-hw", Verdict.PASSED, "Certified", 0),
            machine("m-regressed", Verdict.PASSED, "Certified", 0),
            machine("m-still", Verdict.FAILED, "Failed", 3),
            machine("m-same-1", Verdict.PASSED, "Certified", 0),
            machine("m-same-2", Verdict.PASSED, "Certified", 0));
    List<MachineReport> after =
        List.of(
            machine("m-fixed", Verdict.PASSED, "Certified", 0),
            machine("m-hw", Verdict.PASSED, "Not Seen", 0),
            machine("m-new", Verdict.FAILED, "Failed", 3),
            machine("m-regressed", Verdict.FAILED, "Failed", 3),
            machine("m-still", Verdict.FAILED, "Failed", 3),
            machine("m-same-1", Verdict.PASSED, "Certified", 0),
            machine("m-same-2", Verdict.PASSED, "Certified", 0));
    return Comparison.of(
        side("before", before.size()), before, side("after", after.size()), after, Fixtures.START);
  }

  @Test
  void everyMachineOfEitherRunGetsItsChange() {
    Comparison c = everyChange();

    assertThat(c.rows())
        .extracting(Comparison.Row::machine, Comparison.Row::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("m-fixed", Change.FIXED),
            org.assertj.core.groups.Tuple.tuple("m-gone", Change.GONE),
            org.assertj.core.groups.Tuple.tuple("m-hw", Change.HW_STATUS_CHANGED),
            org.assertj.core.groups.Tuple.tuple("m-new", Change.NEW),
            org.assertj.core.groups.Tuple.tuple("m-regressed", Change.REGRESSED),
            org.assertj.core.groups.Tuple.tuple("m-same-1", Change.UNCHANGED),
            org.assertj.core.groups.Tuple.tuple("m-same-2", Change.UNCHANGED),
            org.assertj.core.groups.Tuple.tuple("m-still", Change.STILL_FAILING));
    assertThat(c.regressed()).isTrue();
    assertThat(c.changes())
        .extracting(Comparison.Row::change)
        .containsExactly(
            Change.REGRESSED,
            Change.FIXED,
            Change.HW_STATUS_CHANGED,
            Change.STILL_FAILING,
            Change.NEW,
            Change.GONE);
    assertThat(c.sinceLine())
        .isEqualTo(
            "1 regressed since before (1 fixed, 1 hw status changed, 1 still failing, 1 new, 1 gone, 2 unchanged)");
  }

  @ParameterizedTest
  @EnumSource(value = Verdict.class, names = "PASSED", mode = EnumSource.Mode.EXCLUDE)
  void anyVerdictButPassedAfterAPassIsARegression(Verdict now) {
    assertThat(
            Change.of(machine("m", Verdict.PASSED, "Certified", 0), machine("m", now, null, null)))
        .isEqualTo(Change.REGRESSED);
    assertThat(
            Change.of(machine("m", now, null, null), machine("m", Verdict.PASSED, "Certified", 0)))
        .isEqualTo(Change.FIXED);
  }

  @Test
  void aRegressionThatAlsoChangedHwStatusCountsAsARegression() {
    assertThat(
            Change.of(
                machine("m", Verdict.PASSED, "Certified", 0),
                machine("m", Verdict.FAILED, "Not Seen", 1)))
        .isEqualTo(Change.REGRESSED);
  }

  @Test
  void aHwStatusOnOneSideOnlyIsNoHwStatusChange() {
    assertThat(
            Change.of(
                machine("m", Verdict.ERROR, null, null), machine("m", Verdict.FAILED, "Failed", 3)))
        .isEqualTo(Change.STILL_FAILING);
    assertThat(
            Change.of(
                machine("m", Verdict.FAILED, "Failed", 3),
                machine("m", Verdict.FAILED, "Unknown", 1)))
        .isEqualTo(Change.HW_STATUS_CHANGED);
  }

  @Test
  void nothingRegressedWhenTheOnlyLossIsAGoneMachine() {
    List<MachineReport> before = List.of(machine("a", Verdict.PASSED, "Certified", 0));
    List<MachineReport> after = List.of(machine("b", Verdict.PASSED, "Certified", 0));

    Comparison c = Comparison.of(side("x", 1), before, side("y", 1), after, null);

    assertThat(c.regressed()).isFalse();
    assertThat(c.sinceLine()).isEqualTo("0 regressed since x (1 new, 1 gone)");
  }

  @Test
  void aMachineListedTwiceIsRefused() {
    List<MachineReport> twice =
        List.of(machine("a", Verdict.PASSED, null, 0), machine("a", Verdict.FAILED, null, 1));

    assertThatThrownBy(() -> Comparison.of(side("x", 2), twice, side("y", 0), List.of(), null))
        .hasMessageContaining("a is listed twice");
  }

  @Test
  void tableListsChangesFirstAndCountsTheUnchanged() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ComparisonTable.print(everyChange(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines.get(0)).isEqualTo("Comparing after with before");
    assertThat(lines.get(1))
        .startsWith("CHANGE")
        .contains("MACHINE", "VERDICT", "HW STATUS", "TEST EXIT");
    assertThat(lines.get(2))
        .startsWith("regressed")
        .contains("m-regressed", "passed -> failed", "Certified -> Failed", "0 -> 3");
    assertThat(lines.get(4))
        .startsWith("hw status changed")
        .contains("m-hw", "Certified -> Not Seen");
    assertThat(lines.get(7)).startsWith("gone").contains("m-gone");
    assertThat(String.join("\n", lines)).doesNotContain("m-same-1");
    assertThat(lines.get(8)).isEqualTo("2 machines unchanged (passed in both)");
    assertThat(lines.get(9)).startsWith("1 regressed since before");
  }

  private JsonNode write(Comparison c) throws Exception {
    Path file = dir.resolve("comparison.json");
    ComparisonJson.write(c, file);
    return JSON.readTree(file.toFile());
  }

  @Test
  void comparisonJsonMatchesItsSchemaAndItsTotalsAddUp() throws Exception {
    JsonNode json = write(everyChange());

    assertThat(schema.validate(json)).isEmpty();
    int sum = 0;
    for (Change change : Change.values()) {
      long listed = 0;
      for (JsonNode m : json.get("machines")) {
        listed += m.get("change").asText().equals(change.key()) ? 1 : 0;
      }
      assertThat(json.get("totals").get(change.key()).asLong()).as(change.key()).isEqualTo(listed);
      sum += (int) listed;
    }
    assertThat(sum).isEqualTo(8);
    assertThat(json.get("regressed").asBoolean()).isTrue();
    JsonNode gone = json.get("machines").get(1);
    assertThat(gone.get("machine").asText()).isEqualTo("m-gone");
    assertThat(gone.get("after").isNull()).isTrue();
    assertThat(gone.get("before").get("test_status").asInt()).isZero();
  }

  /** Without this the schema test above could pass against a schema that accepts anything. */
  @Test
  void schemaRejectsAnUnknownChangeAndAMissingSide() throws Exception {
    JsonNode json = write(everyChange());
    ObjectNode unknown = json.deepCopy();
    ((ObjectNode) unknown.get("machines").get(0)).put("change", "flaky");
    ObjectNode missing = json.deepCopy();
    ((ObjectNode) missing.get("machines").get(0)).remove("before");

    assertThat(schema.validate(unknown)).isNotEmpty();
    assertThat(schema.validate(missing)).isNotEmpty();
  }

  private static final Pattern CHANGE_ROW = Pattern.compile("<tr data-change=\"(\\w+)\">");

  static List<String> changeRows(String html) {
    List<String> rows = new ArrayList<>();
    Matcher m = CHANGE_ROW.matcher(html);
    while (m.find()) {
      rows.add(m.group(1));
    }
    return rows;
  }

  @Test
  void pageHasTheSectionWithARowPerChangedMachineAndItsStyleIsAllowed() throws Exception {
    String html = HtmlReport.render(Fixtures.sixMachines(), everyChange());

    assertThat(html).contains("<section id=\"comparison\">", "<h2>Since before</h2>");
    assertThat(changeRows(html))
        .containsExactly("regressed", "fixed", "hw_status_changed", "still_failing", "new", "gone");
    assertThat(html).contains("<style>" + ComparisonHtml.CSS + "</style>");
    assertThat(html)
        .containsPattern(
            "Content-Security-Policy\" content=\"[^\"]*style-src[^;]*'"
                + Pattern.quote(sha256(ComparisonHtml.CSS))
                + "'");
    assertThat(html.indexOf("<section id=\"comparison\">"))
        .isLessThan(html.indexOf("<table id=\"machines\">"));
  }

  private static String sha256(String text) throws Exception {
    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8));
    return "sha256-" + java.util.Base64.getEncoder().encodeToString(digest);
  }

  @Test
  void reportsOfARunWithoutABaselineRemoveAnEarlierComparison() throws Exception {
    Reports.writeAll(Fixtures.sixMachines(), everyChange(), dir);
    assertThat(dir.resolve(Reports.COMPARISON_JSON)).exists();
    assertThat(dir.resolve(Reports.REPORT_HTML)).content().contains("<section id=\"comparison\">");

    Reports.writeAll(Fixtures.sixMachines(), null, dir);

    assertThat(dir.resolve(Reports.COMPARISON_JSON)).doesNotExist();
    assertThat(dir.resolve(Reports.REPORT_HTML))
        .content()
        .doesNotContain("<section id=\"comparison\">");
  }

  @Test
  void pageWithoutAComparisonHasNoSection() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    assertThat(html).doesNotContain("id=\"comparison\"", ComparisonHtml.CSS);
    assertThat(EnumSet.allOf(Change.class))
        .allSatisfy(c -> assertThat(changeRows(html)).doesNotContain(c.key()));
  }

  /** A machine of {@code n} attempts whose {@code failing} ones failed their test. */
  static MachineReport repeated(String id, Verdict verdict, int n, int... failing) {
    List<AttemptReport> attempts = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      boolean fails = false;
      for (int f : failing) {
        fails |= f == i;
      }
      attempts.add(
          new AttemptReport(
              i,
              "job-" + id + "-" + i,
              fails ? Verdict.FAILED : Verdict.PASSED,
              fails ? Cause.TEST : null,
              fails ? "test phase exited 1" : null,
              null,
              null,
              null));
    }
    return MachineReport.builder(id, verdict)
        .cause(verdict.passed() ? null : Cause.TEST)
        .attempts(attempts)
        .build();
  }

  private static Comparison compare(MachineReport before, MachineReport after) {
    return Comparison.of(
        side("before", 1), List.of(before), side("after", 1), List.of(after), Fixtures.START);
  }

  @Test
  void aDropInPassRateIsARegressionEvenWhenBothRunsPassed() {
    Comparison c =
        compare(
            repeated("m1", Verdict.PASSED, 100, 7),
            repeated("m1", Verdict.PASSED, 100, 7, 8, 9, 10));

    assertThat(c.rows().get(0).change()).isEqualTo(Change.REGRESSED);
    assertThat(c.regressed()).isTrue();
    assertThat(c.comparesPassRates()).isTrue();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ComparisonTable.print(c, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertThat(table).containsPattern("VERDICT +PASS RATE +HW STATUS");
    assertThat(table).containsPattern("regressed +m1 +passed +99/100 -> 96/100");
    assertThat(ComparisonTable.markdown(c).markdown())
        .contains("| regressed | m1 | passed | 99/100 -> 96/100 | - | - |");
  }

  @Test
  void aRiseInPassRateIsNoRegression() {
    assertThat(
            compare(
                    repeated("m1", Verdict.FAILED, 100, 1, 2, 3, 4),
                    repeated("m1", Verdict.FAILED, 100, 1))
                .rows()
                .get(0)
                .change())
        .isEqualTo(Change.STILL_FAILING);
    assertThat(
            compare(repeated("m1", Verdict.PASSED, 4, 2), repeated("m1", Verdict.PASSED, 4))
                .rows()
                .get(0)
                .change())
        .isEqualTo(Change.UNCHANGED);
  }

  @Test
  void aPassAfterLabTroubleIsNoDropButAPassAfterATestFailureIs() {
    MachineReport before = machine("m1", Verdict.PASSED, "Certified", 0);
    MachineReport afterLab =
        MachineReport.builder("m1", Verdict.PASSED)
            .hwStatus("Certified")
            .attempts(
                List.of(
                    new AttemptReport(
                        1, "j1", Verdict.FAILED, Cause.INFRASTRUCTURE, "setup", null, null, "a"),
                    new AttemptReport(2, "j2", Verdict.PASSED, null, null, null, null, null)))
            .build();
    MachineReport afterFlaky =
        repeated("m1", Verdict.PASSED, 2, 1).toBuilder().hwStatus("Certified").build();

    assertThat(compare(before, afterLab).rows().get(0).change()).isEqualTo(Change.UNCHANGED);
    assertThat(compare(before, afterFlaky).rows().get(0).change()).isEqualTo(Change.REGRESSED);
  }

  @Test
  void runsOfOneAttemptEachShowNoPassRates() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ComparisonTable.print(everyChange(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(everyChange().comparesPassRates()).isFalse();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("PASS RATE");
  }

  @Test
  void comparisonJsonWithPassRatesMatchesItsSchema() throws Exception {
    Path file = dir.resolve("comparison.json");
    ComparisonJson.write(
        compare(repeated("m1", Verdict.PASSED, 5, 2), repeated("m1", Verdict.FAILED, 5, 2, 3)),
        file);
    JsonNode json = JSON.readTree(file.toFile());

    assertThat(schema.validate(json)).isEmpty();
    assertThat(json.get("pass_rates").asBoolean()).isTrue();
    JsonNode after = json.get("machines").get(0).get("after");
    assertThat(after.get("passed_attempts").asInt()).isEqualTo(3);
    assertThat(after.get("tested_attempts").asInt()).isEqualTo(5);
    assertThat(after.get("attempts").asInt()).isEqualTo(5);
    assertThat(after.get("cause").asText()).isEqualTo("test");
  }

  @Test
  void pageShowsPassRatesWhenEitherRunTriedAMachineMoreThanOnce() {
    String html =
        HtmlReport.render(
            Fixtures.repeat(),
            compare(repeated("r-flaky", Verdict.PASSED, 5), Fixtures.repeat().machines().get(0)));

    assertThat(html)
        .contains("<th>Pass rate</th>")
        .contains("5/5<span class=\"arrow\">&rarr;</span>3/5");
  }
}
