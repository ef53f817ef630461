package io.tfleet.report;

import io.tfleet.store.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes {@code junit.xml}: the run as one JUnit test suite with a test case per machine, in the
 * common schema that Jenkins and the GitHub test reporters read.
 */
public final class JunitXml {
  /** The suite's name and the prefix of every test case's class name. */
  static final String SUITE = "tfleet";

  private JunitXml() {}

  /** Writes {@code report} to {@code file} atomically. */
  public static void write(RunReport report, Path file) throws IOException {
    AtomicFiles.write(file, render(report));
  }

  static byte[] render(RunReport report) throws IOException {
    Totals totals = Totals.of(report.machines());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      // The JDK's own writer, not whatever StAX provider the classpath brings, so output is stable.
      XMLStreamWriter xml =
          XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(bytes, "UTF-8");
      new SuiteWriter(xml).document(report, totals);
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write junit.xml: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** Walks the report once; indentation is written by hand because StAX has none. */
  private record SuiteWriter(XMLStreamWriter xml) {
    void document(RunReport report, Totals totals) throws XMLStreamException {
      // Cancelled jobs count as failures: the machine was not tested, and nobody asked to skip it.
      String failures =
          Integer.toString(
              totals.count(Verdict.FAILED)
                  + totals.count(Verdict.CANCELLED)
                  + totals.count(Verdict.TIMED_OUT));
      String errors =
          Integer.toString(totals.count(Verdict.ERROR) + totals.count(Verdict.NOT_SUBMITTED));
      String tests = Integer.toString(totals.machines());
      String time = time(Facts.duration(report));

      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      attribute("name", SUITE);
      attribute("tests", tests);
      attribute("failures", failures);
      attribute("errors", errors);
      attribute("time", time);
      indent(1);
      xml.writeStartElement("testsuite");
      attribute("name", SUITE);
      attribute("tests", tests);
      attribute("failures", failures);
      attribute("errors", errors);
      attribute("skipped", Integer.toString(totals.count(Verdict.UNFINISHED)));
      attribute("time", time);
      if (report.startedAt() != null) {
        // Ant's form, to the second, plus Z: readers that expect no zone still parse the prefix.
        attribute("timestamp", report.startedAt().truncatedTo(ChronoUnit.SECONDS).toString());
      }
      if (report.server() != null) {
        indent(2);
        xml.writeStartElement("properties");
        indent(3);
        xml.writeEmptyElement("property");
        attribute("name", "server");
        attribute("value", report.server());
        indent(2);
        xml.writeEndElement();
      }
      for (MachineReport m : report.machines()) {
        testcase(m);
      }
      indent(1);
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
    }

    private void testcase(MachineReport m) throws XMLStreamException {
      indent(2);
      xml.writeStartElement("testcase");
      attribute("classname", SUITE + "." + (m.queue() != null ? m.queue() : m.machine()));
      attribute("name", m.machine());
      attribute("time", time(Facts.duration(m)));
      switch (m.verdict()) {
        case PASSED -> {}
        case FAILED, CANCELLED, TIMED_OUT -> problem("failure", m, m.verdict().key());
        case ERROR, NOT_SUBMITTED -> problem("error", m, m.verdict().key());
        case UNFINISHED -> {
          indent(3);
          xml.writeEmptyElement("skipped");
          attribute(
              "message",
              m.reason() != null
                  ? m.reason()
                  : "not finished" + (m.state() != null ? " (state " + m.state() + ")" : ""));
        }
      }
      indent(3);
      xml.writeStartElement("system-out");
      text(facts(m));
      xml.writeEndElement();
      indent(2);
      xml.writeEndElement();
    }

    /** A {@code <failure>} or {@code <error>} whose text is what a reader needs to triage. */
    private void problem(String element, MachineReport m, String type) throws XMLStreamException {
      indent(3);
      xml.writeStartElement(element);
      attribute("message", m.reason() != null ? m.reason() : m.verdict().label());
      attribute("type", type);
      StringBuilder body = new StringBuilder();
      body.append("reason: ").append(orDash(m.reason())).append('\n');
      body.append("job id: ").append(orDash(m.jobId())).append('\n');
      body.append("state: ").append(orDash(m.state())).append('\n');
      body.append("hw status: ").append(orDash(m.hwStatus())).append('\n');
      String tail = Text.tail(m.outputTail());
      if (tail != null) {
        body.append("\nlast lines of output.txt:\n").append(tail);
        if (!tail.endsWith("\n")) {
          body.append('\n');
        }
      }
      text(body.toString());
      xml.writeEndElement();
    }

    private void attribute(String name, String value) throws XMLStreamException {
      xml.writeAttribute(name, Text.oneLine(value));
    }

    private void text(String s) throws XMLStreamException {
      xml.writeCharacters(Text.clean(s));
    }

    private void indent(int depth) throws XMLStreamException {
      xml.writeCharacters("\n" + "  ".repeat(depth));
    }
  }

  /** The job's facts, one per line, for {@code <system-out>}. */
  private static String facts(MachineReport m) {
    StringBuilder s = new StringBuilder();
    s.append("job id: ").append(orDash(m.jobId())).append('\n');
    s.append("queue: ").append(orDash(m.queue())).append('\n');
    s.append("state: ").append(orDash(m.state())).append('\n');
    s.append("phase statuses: ").append(phases(m.phaseStatuses())).append('\n');
    s.append("hw status: ").append(orDash(m.hwStatus())).append('\n');
    s.append("submitted at: ").append(orDash(m.submittedAt())).append('\n');
    s.append("finished at: ").append(orDash(m.finishedAt())).append('\n');
    s.append("output: ").append(orDash(m.outputFile())).append('\n');
    return s.toString();
  }

  private static String phases(Map<String, Integer> statuses) {
    if (statuses.isEmpty()) {
      return "-";
    }
    StringJoiner j = new StringJoiner(" ");
    statuses.forEach((phase, status) -> j.add(phase + "=" + status));
    return j.toString();
  }

  /**
   * Seconds with three decimals and no grouping, the only form the schema's time pattern and every
   * reader agree on; an unknown duration is written as 0 because some readers add times up and
   * treat a missing one as an error.
   */
  private static String time(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d == null ? 0.0 : Facts.seconds(d));
  }

  private static String orDash(Object o) {
    if (o instanceof Instant t) {
      return t.toString();
    }
    return o == null || o.toString().isEmpty() ? "-" : o.toString();
  }
}
