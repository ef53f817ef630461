package io.tfleet.cli;

import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.RunReports;
import io.tfleet.job.InputException;
import io.tfleet.report.Reports;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.OutputTree;
import java.io.IOException;
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
  public Integer call() throws InputException, IOException {
    OutputTree tree = Trees.existing(output.outputDir);
    Trees.machines(tree);
    List<Outcome> outcomes = RunReports.fromTree(tree);
    Reports.writeAll(RunReports.build(tree, outcomes, null, null, null), tree.root());
    if (!output.quiet) {
      SummaryTable.print(outcomes, context.out());
    }
    context.out().println("Wrote " + tree.root().resolve(Reports.SUMMARY_JSON) + ", "
        + Reports.JUNIT_XML + " and " + Reports.REPORT_HTML);
    return ExitCodes.OK;
  }
}
