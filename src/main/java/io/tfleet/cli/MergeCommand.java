package io.tfleet.cli;

import io.tfleet.fleet.ShardMerge;
import io.tfleet.job.InputException;
import io.tfleet.report.Reports;
import io.tfleet.report.SummaryTable;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Merges the output trees of a run's shards into one tree with one set of reports. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Merge the output trees of one run's shards (--shard 1/N ... N/N) into a new tree: every machine's"
          + " folder is copied into it, with one summary.json, junit.xml, report.html and summary.md.",
      "Refuses trees of different runs (server, template, split) or that share a machine (exit 2).",
      "Exits 0 when every machine passed, 1 otherwise."
    })
public final class MergeCommand implements Callable<Integer> {
  private final Context context;

  MergeCommand(Context context) {
    this.context = context;
  }

  @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' output trees.")
  List<Path> trees;

  @Mixin TreeOptions output = new TreeOptions();

  @Override
  public Integer call() throws InputException {
    ShardMerge.Merged merged;
    try {
      merged = ShardMerge.merge(trees, output.outputDir);
    } catch (IOException e) {
      throw new TreeException(output.outputDir, e);
    }
    merged.warnings().forEach(w -> context.err().println("tfleet: warning: " + w));
    SummaryTable.print(merged.report().machines(), context.out());
    if (!output.quiet) {
      context
          .err()
          .println(
              "Merged "
                  + trees.size()
                  + (trees.size() == 1 ? " tree" : " trees")
                  + " into "
                  + output.outputDir
                  + ": "
                  + Reports.SUMMARY_JSON
                  + ", "
                  + Reports.JUNIT_XML
                  + ", "
                  + Reports.REPORT_HTML
                  + ", "
                  + Reports.SUMMARY_MD
                  + " and every machine's folder.");
    }
    boolean allPassed = merged.report().machines().stream().allMatch(m -> m.verdict().passed());
    return allPassed ? ExitCodes.OK : ExitCodes.FAILURES;
  }
}
