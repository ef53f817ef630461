package io.tfleet.report;

import io.tfleet.store.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes {@code junit.xml}: the run as one JUnit test suite with a test case per machine, in the
 * common schema that Jenkins and the GitHub test reporters read. A test failure is a {@code
 * <failure>}, lab trouble an {@code <error>}; earlier attempts of a machine carry Maven Surefire's
 * rerun marks: {@code <flakyFailure>} and {@code <flakyError>} inside a test case that passed in
 * the end, {@code <rerunFailure>} and {@code <rerunError>} inside one that did not.
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
      int failureCount = 0;
      int errorCount = 0;
      for (MachineReport m : report.machines()) {
        String kind = kind(m.verdict(), m.cause());
        failureCount += FAILURE.equals(kind) ? 1 : 0;
        errorCount += ERROR.equals(kind) ? 1 : 0;
      }
      String failures = Integer.toString(failureCount);
      String errors = Integer.toString(errorCount);
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
      Map<String, String> properties = new LinkedHashMap<>();
      if (report.server() != null) {
        properties.put("server", report.server());
      }
      if (report.repeated()) {
        properties.put("repeat", Integer.toString(report.repeat()));
      }
      if (report.retries() > 0) {
        properties.put("retries", Integer.toString(report.retries()));
      }
      if (!properties.isEmpty()) {
        indent(2);
        xml.writeStartElement("properties");
        for (Map.Entry<String, String> p : properties.entrySet()) {
          indent(3);
          xml.writeEmptyElement("property");
          attribute("name", p.getKey());
          attribute("value", p.getValue());
        }
        indent(2);
        xml.writeEndElement();
      }
      for (MachineReport m : report.machines()) {
        testcase(m, report.repeated());
      }
      indent(1);
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
    }

    private void testcase(MachineReport m, boolean repeated) throws XMLStreamException {
      indent(2);
      xml.writeStartElement("testcase");
      attribute("classname", SUITE + "." + (m.queue() != null ? m.queue() : m.machine()));
      attribute("name", m.machine());
      attribute("time", time(Facts.duration(m)));
      String kind = kind(m.verdict(), m.cause());
      List<Mark> marks = marks(m);
      // Surefire's schema fixes the order by kind, not by attempt: failure, rerunFailure,
      // flakyFailure, skipped, error, rerunError, flakyError, then system-out.
      if (FAILURE.equals(kind)) {
        problem(FAILURE, m, repeated);
      }
      writeMarks(marks, "rerunFailure", "flakyFailure");
      if (SKIPPED.equals(kind)) {
        indent(3);
        xml.writeEmptyElement(SKIPPED);
        attribute(
            "message",
            m.reason() != null
                ? m.reason()
                : "not finished" + (m.state() != null ? " (state " + m.state() + ")" : ""));
      }
      if (ERROR.equals(kind)) {
        problem(ERROR, m, repeated);
      }
      writeMarks(marks, "rerunError", "flakyError");
      indent(3);
      xml.writeStartElement("system-out");
      text(facts(m, repeated));
      xml.writeEndElement();
      indent(2);
      xml.writeEndElement();
    }

    /** A {@code <failure>} or {@code <error>} whose text is what a reader needs to triage. */
    private void problem(String element, MachineReport m, boolean repeated)
        throws XMLStreamException {
      indent(3);
      xml.writeStartElement(element);
      attribute("message", m.reason() != null ? m.reason() : m.verdict().label());
      attribute("type", m.verdict().key());
      StringBuilder body = new StringBuilder();
      body.append("reason: ").append(orDash(m.reason())).append('\n');
      if (m.cause() != null) {
        body.append("cause: ").append(m.cause().label()).append('\n');
      }
      String story = Attempts.story(m, repeated);
      if (story != null) {
        body.append("attempts: ").append(story).append('\n');
      }
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

    /** The marks whose element is {@code rerun} or {@code flaky}, in attempt order. */
    private void writeMarks(List<Mark> marks, String rerun, String flaky)
        throws XMLStreamException {
      for (Mark mark : marks) {
        if (mark.element().equals(rerun) || mark.element().equals(flaky)) {
          mark(mark.element(), mark.attempt(), mark.of());
        }
      }
    }

    /**
     * One earlier attempt in Surefire's shape: message and type, the problem in {@code
     * <stackTrace>} (which Surefire requires), the attempt's facts in {@code <system-out>}.
     */
    private void mark(String element, AttemptReport a, int of) throws XMLStreamException {
      indent(3);
      xml.writeStartElement(element);
      attribute("message", Attempts.words(a));
      attribute("type", a.verdict().key());
      indent(4);
      xml.writeStartElement("stackTrace");
      StringBuilder problem = new StringBuilder();
      problem.append("attempt ").append(a.number()).append(" of ").append(of).append('\n');
      problem.append("reason: ").append(orDash(a.reason())).append('\n');
      if (a.cause() != null) {
        problem.append("cause: ").append(a.cause().label()).append('\n');
      }
      text(problem.toString());
      xml.writeEndElement();
      indent(4);
      xml.writeStartElement("system-out");
      StringBuilder facts = new StringBuilder();
      facts.append("job id: ").append(orDash(a.jobId())).append('\n');
      facts.append("submitted at: ").append(orDash(a.submittedAt())).append('\n');
      facts.append("finished at: ").append(orDash(a.finishedAt())).append('\n');
      facts.append("files: ").append(orDash(a.dir())).append('\n');
      text(facts.toString());
      xml.writeEndElement();
      indent(3);
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

  private static final String FAILURE = "failure";
  private static final String ERROR = "error";
  private static final String SKIPPED = "skipped";

  /**
   * The element a machine (or attempt) that ended with {@code verdict} for {@code cause} is
   * reported with: {@code failure} for a test failure or a stop by the user, {@code error} for lab
   * trouble, {@code skipped} for one not finished, null for a pass. Without a known cause, the
   * verdict decides as it did before causes: failed, cancelled and timed out are failures, an error
   * and a machine never submitted errors.
   */
  static String kind(Verdict verdict, Cause cause) {
    if (verdict == Verdict.PASSED) {
      return null;
    }
    if (verdict == Verdict.UNFINISHED) {
      return SKIPPED;
    }
    if (cause != null) {
      return cause == Cause.INFRASTRUCTURE ? ERROR : FAILURE;
    }
    return switch (verdict) {
      case ERROR, NOT_SUBMITTED -> ERROR;
      default -> FAILURE;
    };
  }

  /**
   * An earlier attempt's rerun mark: its element, the attempt, and how many attempts there were.
   */
  private record Mark(String element, AttemptReport attempt, int of) {}

  /**
   * Every attempt but the latest that ended without passing, marked as Surefire marks reruns:
   * {@code flaky*} when the machine passed in the end, {@code rerun*} when it did not.
   */
  private static List<Mark> marks(MachineReport m) {
    List<Mark> marks = new ArrayList<>();
    int of = m.attempts().size();
    for (AttemptReport a : Attempts.earlier(m)) {
      String kind = kind(a.verdict(), a.cause());
      if (FAILURE.equals(kind) || ERROR.equals(kind)) {
        String suffix = FAILURE.equals(kind) ? "Failure" : "Error";
        marks.add(new Mark((m.verdict().passed() ? "flaky" : "rerun") + suffix, a, of));
      }
    }
    return marks;
  }

  /** The job's facts, one per line, for {@code <system-out>}. */
  private static String facts(MachineReport m, boolean repeated) {
    StringBuilder s = new StringBuilder();
    s.append("job id: ").append(orDash(m.jobId())).append('\n');
    s.append("queue: ").append(orDash(m.queue())).append('\n');
    s.append("state: ").append(orDash(m.state())).append('\n');
    s.append("phase statuses: ").append(phases(m.phaseStatuses())).append('\n');
    s.append("hw status: ").append(orDash(m.hwStatus())).append('\n');
    if (m.cause() != null) {
      s.append("cause: ").append(m.cause().label()).append('\n');
    }
    String story = Attempts.story(m, repeated);
    if (story != null) {
      s.append("attempts: ").append(story).append('\n');
    }
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
