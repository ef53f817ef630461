package io.tfleet.report;

import io.tfleet.store.TreeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes every report of a run into its output folder. */
public final class Reports {
  /** The file {@link SummaryJson} writes. */
  public static final String SUMMARY_JSON = TreeNames.SUMMARY_JSON;

  /** The file {@link JunitXml} writes. */
  public static final String JUNIT_XML = TreeNames.JUNIT_XML;

  /** The file {@link HtmlReport} writes. */
  public static final String REPORT_HTML = TreeNames.REPORT_HTML;

  /** The file {@link MarkdownSummary} writes. */
  public static final String SUMMARY_MD = TreeNames.SUMMARY_MD;

  /** The file {@link ComparisonJson} writes. */
  public static final String COMPARISON_JSON = TreeNames.COMPARISON_JSON;

  private Reports() {}

  /**
   * Writes {@code summary.json}, {@code junit.xml}, {@code report.html} and {@code summary.md} into
   * {@code outputDir}, creating it if needed; each file is replaced atomically, so a reader sees
   * the old or the new one, never half of either.
   */
  public static void writeAll(RunReport report, Path outputDir) throws IOException {
    write(report, null, outputDir);
  }

  /**
   * Writes every report of a run as {@link #writeAll(RunReport, Path)} does, and with a {@code
   * comparison} also {@code comparison.json} and the comparison's sections of {@code report.html}
   * and {@code summary.md}; without one, removes a {@code comparison.json} left by an earlier run,
   * which no longer describes the tree.
   */
  public static void writeAll(RunReport report, Comparison comparison, Path outputDir)
      throws IOException {
    write(report, comparison, outputDir);
    if (comparison == null) {
      Files.deleteIfExists(outputDir.resolve(COMPARISON_JSON));
    } else {
      ComparisonJson.write(comparison, outputDir.resolve(COMPARISON_JSON));
    }
  }

  private static void write(RunReport report, Comparison comparison, Path outputDir)
      throws IOException {
    Files.createDirectories(outputDir);
    SummaryJson.write(report, outputDir.resolve(SUMMARY_JSON));
    JunitXml.write(report, outputDir.resolve(JUNIT_XML));
    HtmlReport.write(report, comparison, outputDir.resolve(REPORT_HTML));
    MarkdownSummary.write(
        report,
        outputDir.resolve(SUMMARY_MD),
        comparison == null ? List.of() : List.of(ComparisonTable.markdown(comparison)));
  }

  /**
   * Writes {@code summary.json} and {@code report.html} of a run that is still going, each replaced
   * atomically; the others wait for the end, when {@link #writeAll} writes every one.
   */
  public static void writeLive(RunReport report, Path outputDir) throws IOException {
    Files.createDirectories(outputDir);
    SummaryJson.write(report, outputDir.resolve(SUMMARY_JSON));
    HtmlReport.write(report, outputDir.resolve(REPORT_HTML));
  }
}
