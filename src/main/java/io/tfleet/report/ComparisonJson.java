package io.tfleet.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code comparison.json}: two runs, how many machines moved each way, and every machine.
 */
public final class ComparisonJson {
  private ComparisonJson() {}

  /** Writes {@code comparison} to {@code file} atomically. */
  public static void write(Comparison comparison, Path file) throws IOException {
    JsonFiles.write(File.of(comparison), file);
  }

  /**
   * The file's top level; {@code totals} has every change, by {@link Change#key()}; {@code
   * pass_rates} says whether pass rates were compared (either run tried a machine more than once).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record File(
      Run baseline,
      Run current,
      String comparedAt,
      boolean regressed,
      boolean passRates,
      Map<String, Integer> totals,
      List<Machine> machines) {
    static File of(Comparison c) {
      Map<String, Integer> totals = new LinkedHashMap<>();
      c.counts().forEach((change, n) -> totals.put(change.key(), n));
      return new File(
          Run.of(c.baseline()),
          Run.of(c.current()),
          c.comparedAt() == null ? null : c.comparedAt().toString(),
          c.regressed(),
          c.comparesPassRates(),
          totals,
          c.rows().stream().map(Machine::of).toList());
    }
  }

  /** One side of the comparison. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Run(String path, Integer round, int machines, int judgedFromOutput) {
    static Run of(Comparison.Side s) {
      return new Run(s.path(), s.round(), s.machines(), s.judgedFromOutput());
    }
  }

  /** One machine; {@code before} is null for a new machine, {@code after} for a gone one. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Machine(String machine, String change, Side before, Side after) {
    static Machine of(Comparison.Row r) {
      return new Machine(r.machine(), r.change().key(), Side.of(r.before()), Side.of(r.after()));
    }
  }

  /**
   * Where a machine stood in one run; {@code passed_attempts} of {@code tested_attempts} is its
   * pass rate, over the attempts whose test ran to a verdict ({@code 1} of {@code 1} for a machine
   * of one attempt that passed).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Side(
      String jobId,
      String verdict,
      String hwStatus,
      Integer testStatus,
      String reason,
      String cause,
      int attempts,
      int passedAttempts,
      int testedAttempts) {
    static Side of(MachineReport m) {
      if (m == null) {
        return null;
      }
      PassRate rate = m.passRate();
      return new Side(
          m.jobId(),
          m.verdict().key(),
          m.hwStatus(),
          Facts.testStatus(m),
          m.reason(),
          m.cause() == null ? null : m.cause().key(),
          Attempts.of(m).size(),
          rate.passed(),
          rate.tested());
    }
  }
}
