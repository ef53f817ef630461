package io.tfleet.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes every report of a run into its output folder. */
public final class Reports {
  /** The file {@link SummaryJson} writes. */
  public static final String SUMMARY_JSON = "summary.json";

  /** The file {@link JunitXml} writes. */
  public static final String JUNIT_XML = "junit.xml";

  /** The file {@link HtmlReport} writes. */
  public static final String REPORT_HTML = "report.html";

  /** The file {@link MarkdownSummary} writes. */
  public static final String SUMMARY_MD = "summary.md";

  private Reports() {}

  /**
   * Writes {@code summary.json}, {@code junit.xml}, {@code report.html} and {@code summary.md} into {@code outputDir},
   * creating it if needed; each file is replaced atomically, so a reader sees the old or the new
   * one, never half of either.
   */
  public static void writeAll(RunReport report, Path outputDir) throws IOException {
    Files.createDirectories(outputDir);
    SummaryJson.write(report, outputDir.resolve(SUMMARY_JSON));
    JunitXml.write(report, outputDir.resolve(JUNIT_XML));
    HtmlReport.write(report, outputDir.resolve(REPORT_HTML));
    MarkdownSummary.write(report, outputDir.resolve(SUMMARY_MD), List.of());
  }

  /**
   * Writes {@code summary.json} and {@code report.html} of a run that is still going, each
   * replaced atomically; the others wait for the end, when {@link #writeAll} writes every one.
   */
  public static void writeLive(RunReport report, Path outputDir) throws IOException {
    Files.createDirectories(outputDir);
    SummaryJson.write(report, outputDir.resolve(SUMMARY_JSON));
    HtmlReport.write(report, outputDir.resolve(REPORT_HTML));
  }
}
