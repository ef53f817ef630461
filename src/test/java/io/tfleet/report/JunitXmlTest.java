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
  void countsFollowTheVerdicts() throws Exception {
    Document doc = parse(write(Fixtures.sixMachines()));
    Element suite = elements(doc, "testsuite").get(0);

    assertThat(suite.getAttribute("tests")).isEqualTo("6");
    // Two failed machines plus the cancelled one.
    assertThat(suite.getAttribute("failures")).isEqualTo("3");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(elements(doc, "testcase")).hasSize(6);
    assertThat(elements(doc, "failure"))
        .extracting(e -> e.getAttribute("type"))
        .containsExactly("failed", "cancelled", "failed");
    assertThat(elements(doc, "error")).hasSize(1);
    assertThat(elements(doc, "skipped")).hasSize(1);
    Element root = doc.getDocumentElement();
    assertThat(root.getAttribute("tests")).isEqualTo("6");
    assertThat(root.getAttribute("failures")).isEqualTo("3");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
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
