package io.tfleet.cli;

import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.RunReports;
import io.tfleet.job.InputException;
import io.tfleet.report.Reports;
import io.tfleet.report.RunReport;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Rebuilds the reports of an output tree from its files alone. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = "Rebuild summary.json, junit.xml and report.html from the output tree's files (no server).")
public final class ReportCommand implements Callable<Integer> {
  private final Context context;

  ReportCommand(Context context) {
    this.context = context;
  }

  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws InputException {
    OutputTree tree = Trees.existing(output.outputDir);
    Trees.machines(tree);
    try {
      List<Outcome> outcomes = RunReports.fromTree(tree);
      String server = tree.manifest().map(RunManifest::server).orElse(null);
      RunReport report = RunReports.build(tree, outcomes, server, null, null);
      Reports.writeAll(report, tree.root());
      if (!output.quiet) {
        SummaryTable.print(report.machines(), context.out());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    context.out().println("Wrote " + tree.root().resolve(Reports.SUMMARY_JSON) + ", "
        + Reports.JUNIT_XML + " and " + Reports.REPORT_HTML);
    return ExitCodes.OK;
  }
}
