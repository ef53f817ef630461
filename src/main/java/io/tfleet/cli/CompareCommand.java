package io.tfleet.cli;

import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.job.InputException;
import io.tfleet.report.Comparison;
import io.tfleet.report.ComparisonTable;
import io.tfleet.report.Reports;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Compares two runs of a fleet, machine by machine, and fails when a machine regressed. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Compare two output trees machine by machine: what regressed, was fixed, changed hw status,"
          + " is new or gone. Writes comparison.json and the comparison into report.html of CURRENT.",
      "Where either run tried a machine more than once (--repeat, --retries), its pass rates are"
          + " compared too (96/100 -> 99/100); lab trouble does not count against a machine.",
      "With --round N: compare each machine's round-N files (BASELINE) with its current files, in one tree."
    },
    footer = {
      "",
      "Exit codes:",
      "  0    no machine regressed (passed in the baseline, not now; or passes less often)",
      "  1    some machine regressed",
      "  2    bad input: a missing tree, a tree with no machines, no round-N folder"
    })
public final class CompareCommand implements Callable<Integer> {
  private final Context context;

  CompareCommand(Context context) {
    this.context = context;
  }

  @Parameters(
      arity = "0..2",
      paramLabel = "TREE",
      description =
          "BASELINE [CURRENT] (CURRENT: default --output-dir); with --round, only the tree.")
  List<Path> trees = new ArrayList<>();

  @Option(
      names = "--round",
      paramLabel = "N",
      description = "Take the baseline from each machine's round-N folder of the tree.")
  Integer round;

  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws InputException {
    TreeSnapshot baseline;
    TreeSnapshot current;
    if (round != null) {
      if (trees.size() > 1) {
        throw new InputException(
            "with --round, give one tree (default --output-dir), not " + trees.size());
      }
      Path tree = trees.isEmpty() ? output.outputDir : trees.get(0);
      baseline = TreeSnapshot.readRound(tree, round);
      current = TreeSnapshot.read(tree);
    } else {
      if (trees.isEmpty()) {
        throw new InputException("give the BASELINE tree to compare with (or --round N)");
      }
      Path currentDir = trees.size() > 1 ? trees.get(1) : output.outputDir;
      baseline = TreeSnapshot.read(trees.get(0));
      current = TreeSnapshot.read(currentDir);
      if (sameFolder(baseline.root(), current.root())) {
        throw new InputException(
            trees.get(0)
                + " and "
                + currentDir
                + " are the same tree;"
                + " to compare it with an earlier round of its machines, use --round N");
      }
    }
    Comparison comparison = baseline.compareWith(current);
    try {
      current.writeComparison(comparison);
    } catch (IOException e) {
      throw new TreeException(output.outputDir, e);
    }
    ComparisonTable.print(comparison, context.out());
    if (!output.quiet) {
      context
          .err()
          .println(
              "Wrote "
                  + current.root().resolve(Reports.COMPARISON_JSON)
                  + " and "
                  + Reports.REPORT_HTML);
    }
    return comparison.regressed() ? ExitCodes.FAILURES : ExitCodes.OK;
  }

  private static boolean sameFolder(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
