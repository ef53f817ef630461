package io.tfleet.cli;

import io.tfleet.fleet.RunReports;
import io.tfleet.job.InputException;
import io.tfleet.report.MarkdownSummary;
import io.tfleet.report.Reports;
import io.tfleet.report.RunReport;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Rebuilds the reports of an output tree from its files alone. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Rebuild summary.json, junit.xml, report.html and summary.md from the output tree's files (no server).",
      "With --format markdown: print the Markdown summary instead, and write nothing."
    })
public final class ReportCommand implements Callable<Integer> {
  private final Context context;

  ReportCommand(Context context) {
    this.context = context;
  }

  @Mixin TreeOptions output = new TreeOptions();

  /** What the command makes. */
  enum Format {
    files,
    markdown
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "files",
      description =
          "files: rebuild the tree's reports (default); markdown: print the Markdown summary to"
              + " standard output, with the tree's paths, and write nothing.")
  Format format = Format.files;

  @Override
  public Integer call() throws InputException {
    OutputTree tree = Trees.existing(output.outputDir);
    Trees.machines(tree);
    try {
      String server = tree.manifest().map(RunManifest::server).orElse(null);
      RunReport report = RunReports.ofTree(tree, server, null, null);
      if (format == Format.markdown) {
        context
            .out()
            .print(
                MarkdownSummary.render(
                    report, MarkdownSummary.Style.outside(output.outputDir.toString(), List.of())));
        context.out().flush();
        return ExitCodes.OK;
      }
      Reports.writeAll(report, tree.root());
      if (!output.quiet) {
        SummaryTable.print(
            report.machines(), report.repeat(), context.out(), Terminal.tableWidth(context));
      }
    } catch (IOException e) {
      throw new TreeException(output.outputDir, e);
    }
    context
        .out()
        .println(
            "Wrote "
                + tree.root().resolve(Reports.SUMMARY_JSON)
                + ", "
                + Reports.JUNIT_XML
                + ", "
                + Reports.REPORT_HTML
                + " and "
                + Reports.SUMMARY_MD);
    return ExitCodes.OK;
  }
}
