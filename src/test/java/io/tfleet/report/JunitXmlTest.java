package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

class JunitXmlTest {
  private static Schema schema;

  @TempDir Path dir;

  @BeforeAll
  static void loadSchema() throws Exception {
    SchemaFactory factory = SchemaFactory.newDefaultInstance();
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    schema = factory.newSchema(JunitXmlTest.class.getResource("/report/junit.xsd"));
  }

  private Path write(RunReport report) throws Exception {
    Path file = dir.resolve("junit.xml");
    JunitXml.write(report, file);
    return file;
  }

  private static void validate(String xml) throws Exception {
    schema.newValidator().validate(new StreamSource(new StringReader(xml)));
  }

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  private static List<Element> elements(Document doc, String name) {
    NodeList nodes = doc.getElementsByTagName(name);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }

  private static Element testcase(Document doc, String machine) {
    return elements(doc, "testcase").stream()
        .filter(e -> e.getAttribute("name").equals(machine))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no testcase " + machine));
  }

  @Test
  void reportValidatesAgainstTheCommonJunitSchema() throws Exception {
    validate(Files.readString(write(Fixtures.sixMachines())));
  }

  @Test
  void emptyRunAndUnknownTimesStillValidate() throws Exception {
    validate(Files.readString(write(new RunReport(null, null, null, List.of()))));
  }

  /** Without these the validation test above could pass against a schema that accepts anything. */
  @Test
  void schemaRejectsWhatJenkinsWouldReject() {
    String valid =
        "<testsuites><testsuite name='s' tests='1' failures='0' errors='0' time='1.5'>"
            + "<testcase name='t' time='1.5'/></testsuite></testsuites>";
    List<String> invalid =
        List.of(
            valid.replace("<testcase name='t'", "<testcase"),
            valid.replace(" errors='0'", ""),
            valid.replace("time='1.5'>", "time='1.2.3'>"),
            valid.replace(
                "<testcase name='t' time='1.5'/>", "<testcase name='t'><output/></testcase>"),
            valid.replace("<testsuites>", "<testsuites skipped='0'>"),
            "<testsuites><testcase name='t'/></testsuites>");

    assertThatCode(() -> validate(valid)).doesNotThrowAnyException();
    for (String xml : invalid) {
      assertThatThrownBy(() -> validate(xml)).as(xml).isInstanceOf(SAXException.class);
    }
  }

  @Test
  void aTestFailureIsAFailureAndLabTroubleAnError() throws Exception {
    Document doc = parse(write(Fixtures.sixMachines()));
    Element suite = elements(doc, "testsuite").get(0);

    assertThat(suite.getAttribute("tests")).isEqualTo("6");
    // The failed test plus the cancel by the user.
    assertThat(suite.getAttribute("failures")).isEqualTo("2");
    // The refused submission and the failed provision: lab trouble.
    assertThat(suite.getAttribute("errors")).isEqualTo("2");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(elements(doc, "testcase")).hasSize(6);
    assertThat(elements(doc, "failure"))
        .extracting(e -> e.getAttribute("type"))
        .containsExactly("failed", "cancelled");
    assertThat(elements(doc, "error"))
        .extracting(e -> ((Element) e.getParentNode()).getAttribute("name"))
        .containsExactly("202012-28526", "202204-30011");
    assertThat(elements(doc, "error").get(1).getTextContent())
        .contains("reason: provision phase exited 1\ncause: lab trouble\n");
    assertThat(elements(doc, "skipped")).hasSize(1);
    Element root = doc.getDocumentElement();
    assertThat(root.getAttribute("tests")).isEqualTo("6");
    assertThat(root.getAttribute("failures")).isEqualTo("2");
    assertThat(root.getAttribute("errors")).isEqualTo("2");
  }

  @Test
  void withoutACauseTheVerdictDecidesAsBefore() throws Exception {
    List<MachineReport> machines = new ArrayList<>();
    for (Verdict v : Verdict.values()) {
      machines.add(MachineReport.builder("m-" + v.key(), v).build());
    }
    Document doc = parse(write(Fixtures.run(machines)));

    assertThat(elements(doc, "failure"))
        .extracting(e -> e.getAttribute("type"))
        .containsExactly("failed", "cancelled", "timed_out");
    assertThat(elements(doc, "error"))
        .extracting(e -> e.getAttribute("type"))
        .containsExactly("error", "not_submitted");
  }

  private static List<String> children(Element testcase) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < testcase.getChildNodes().getLength(); i++) {
      if (testcase.getChildNodes().item(i) instanceof Element e) {
        names.add(e.getTagName());
      }
    }
    return names;
  }

  private static String child(Element parent, String name) {
    return parent.getElementsByTagName(name).item(0).getTextContent();
  }

  @Test
  void aMachineThatPassedAfterEarlierAttemptsCarriesSurefiresFlakyMarks() throws Exception {
    Path file = write(Fixtures.retries());
    validate(Files.readString(file));
    Document doc = parse(file);
    Element labThenPassed = testcase(doc, "lab-then-passed");
    Element testThenPassed = testcase(doc, "test-then-passed");

    assertThat(children(labThenPassed)).containsExactly("flakyError", "system-out");
    Element flaky = (Element) labThenPassed.getElementsByTagName("flakyError").item(0);
    assertThat(flaky.getAttribute("message")).isEqualTo("provision phase exited 1");
    assertThat(flaky.getAttribute("type")).isEqualTo("failed");
    assertThat(child(flaky, "stackTrace"))
        .isEqualTo("attempt 1 of 2\nreason: provision phase exited 1\ncause: lab trouble\n");
    assertThat(child(flaky, "system-out"))
        .contains("job id: job-lab-then-passed-1\n", "files: lab-then-passed/attempt-1\n");
    assertThat(children(testThenPassed)).containsExactly("flakyFailure", "system-out");
    // A pass after reruns is a pass: only the machines that did not pass in the end count.
    Element suite = elements(doc, "testsuite").get(0);
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
  }

  @Test
  void aMachineThatNeverPassedCarriesRerunMarksInSurefiresOrder() throws Exception {
    Document doc = parse(write(Fixtures.retries()));

    assertThat(children(testcase(doc, "lab-every-time")))
        .containsExactly("error", "rerunError", "rerunError", "system-out");
    // The latest attempt's test failed; the lab failed the first. Surefire's schema puts every
    // failure element before the errors.
    assertThat(children(testcase(doc, "lab-then-test-failed")))
        .containsExactly("failure", "rerunError", "system-out");
    assertThat(child(testcase(doc, "lab-every-time"), "error"))
        .contains(
            "attempts: 3 attempts, none passed: provision phase exited 1 twice, job vanished from"
                + " the server once\n");
    assertThat(children(testcase(doc, "passed-at-once"))).containsExactly("system-out");
  }

  @Test
  void aRepeatRunMarksEveryAttemptThatDidNotPass() throws Exception {
    Path file = write(Fixtures.repeat());
    validate(Files.readString(file));
    Document doc = parse(file);

    assertThat(children(testcase(doc, "r-flaky")))
        .containsExactly("failure", "rerunFailure", "rerunFailure", "system-out");
    assertThat(child(testcase(doc, "r-flaky"), "failure"))
        .contains("attempts: 3/5 passed; failed 2, 4\n");
    assertThat(children(testcase(doc, "r-lab-once"))).containsExactly("flakyError", "system-out");
    assertThat(elements(doc, "property"))
        .extracting(e -> e.getAttribute("name") + "=" + e.getAttribute("value"))
        .contains("repeat=5");
  }

  @Test
  void schemaWantsSurefiresShapeOfARerunMark() {
    String testcase =
        "<testsuites><testsuite name='s' tests='1' failures='0' errors='0'>"
            + "<testcase name='t'>%s</testcase></testsuite></testsuites>";
    String good =
        "<flakyError message='m' type='failed'><stackTrace>x</stackTrace>"
            + "<system-out>y</system-out></flakyError>";

    assertThatCode(() -> validate(testcase.formatted(good))).doesNotThrowAnyException();
    for (String bad :
        List.of(
            "<flakyError message='m' type='failed'>x</flakyError>",
            "<flakyError message='m'><stackTrace>x</stackTrace></flakyError>",
            "<flakyError type='failed'><system-out>y</system-out><stackTrace>x</stackTrace>"
                + "</flakyError>")) {
      assertThatThrownBy(() -> validate(testcase.formatted(bad)))
          .as(bad)
          .isInstanceOf(SAXException.class);
    }
  }

  @Test
  void failureCarriesReasonHwStatusJobIdAndOutput() throws Exception {
    Element failed = testcase(parse(write(Fixtures.sixMachines())), "202008-28130");
    Element failure = (Element) failed.getElementsByTagName("failure").item(0);
    String systemOut = failed.getElementsByTagName("system-out").item(0).getTextContent();

    assertThat(failed.getAttribute("classname")).isEqualTo("tfleet.rpi4-arm64");
    assertThat(failed.getAttribute("time")).isEqualTo("1228.500");
    assertThat(failure.getAttribute("message")).isEqualTo("test phase exited 1");
    assertThat(failure.getTextContent())
        .contains(
            "test phase exited 1", "hw status: Failed", "0f0e0d0c-0000-4000-8000-000000000002")
        .endsWith("FAIL: 3 of 40 tests\n");
    assertThat(systemOut)
        .contains(
            "job id: 0f0e0d0c-0000-4000-8000-000000000002", "state: complete", "hw status: Failed");
  }

  @Test
  void illegalCharactersAreRemovedAndTheRestSurvives() throws Exception {
    Path file = write(Fixtures.sixMachines());
    String raw = Files.readString(file);
    String text =
        testcase(parse(file), "202008-28130")
            .getElementsByTagName("failure")
            .item(0)
            .getTextContent();

    assertThat(raw.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    assertThat(raw).doesNotContain("\u007f", "\ud800s", "<script>");
    assertThat(text)
        .contains("Running suite <all> & \"friends\"\n")
        .contains("]]> ends a CDATA section")
        .contains("bell escapered nul ff del\n")
        .contains("üñîçødé ✓ 日本語 😀 lonesurrogate")
        .contains("<script>alert('pwned')</script>");
  }

  @Test
  void controlCharactersInAttributesAreRemoved() throws Exception {
    MachineReport m =
        MachineReport.builder("m\u0001x", Verdict.FAILED)
            .jobId("j")
            .queue("q\u0002")
            .state("complete")
            .reason("exit 1\nsee\toutput\u001b[0m")
            .build();
    Path file = write(Fixtures.run(List.of(m)));
    validate(Files.readString(file));

    Element testcase = elements(parse(file), "testcase").get(0);
    assertThat(testcase.getAttribute("name")).isEqualTo("mx");
    assertThat(testcase.getAttribute("classname")).isEqualTo("tfleet.q");
    assertThat(((Element) testcase.getElementsByTagName("failure").item(0)).getAttribute("message"))
        .isEqualTo("exit 1 see output");
  }

  @Test
  void bigOutputIsCutToItsTail() throws Exception {
    StringBuilder output = new StringBuilder();
    for (int i = 0; output.length() < 1_000_000; i++) {
      output.append("line ").append(i).append(" of a long test log\n");
    }
    output.append("the last line\n");
    MachineReport m =
        MachineReport.builder("m1", Verdict.FAILED)
            .jobId("j")
            .queue("q")
            .state("complete")
            .hwStatus("Failed")
            .reason("exit 1")
            .outputTail(output.toString())
            .outputFile("m1/output.txt")
            .build();

    Path file = write(Fixtures.run(List.of(m)));
    validate(Files.readString(file));
    String text = elements(parse(file), "failure").get(0).getTextContent();
    String tail = text.substring(text.indexOf("last lines of output.txt:\n") + 26);

    assertThat(tail).endsWith("the last line\n").startsWith("[... ");
    String firstKept = tail.lines().skip(1).findFirst().orElseThrow();
    assertThat(firstKept).matches("line \\d+ of a long test log");
    assertThat(output.toString()).contains("\n" + firstKept + "\n");
    long cut = Long.parseLong(tail.substring(5, tail.indexOf(' ', 5)));
    assertThat(cut + tail.length() - tail.indexOf('\n') - 1).isEqualTo(output.length());
    assertThat(tail.length()).isLessThanOrEqualTo(Text.MAX_TAIL_CHARS + 64);
  }
}
