package io.tfleet.fleet;

import io.tfleet.report.Reports;
import io.tfleet.store.RunManifest;
import io.tfleet.store.TreeLock;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Machine ids that would clash with what tfleet itself writes in the output tree's top folder. A
 * machine's folder is named by its id, so such an id would overwrite a report, the lock or the
 * manifest, or be taken for one. Compared without regard to case, for case-insensitive disks.
 */
public final class ReservedIds {
  private static final Set<String> TREE_FILES =
      Set.of(
          Reports.SUMMARY_JSON,
          Reports.JUNIT_XML,
          Reports.REPORT_HTML,
          Reports.SUMMARY_MD,
          TreeLock.FILE,
          RunManifest.FILE);

  /** Round folders are kept inside machine folders today; the name stays free for the tree too. */
  private static final Pattern ROUND = Pattern.compile("round-[0-9]+", Pattern.CASE_INSENSITIVE);

  private ReservedIds() {}

  /** Says why {@code id} cannot name a machine folder in an output tree, or returns null. */
  public static String problemWith(String id) {
    if (id.startsWith(".")) {
      return "machine id '"
          + id
          + "' starts with '.': hidden names are tfleet's own files in the output tree";
    }
    String lower = id.toLowerCase(Locale.ROOT);
    if (TREE_FILES.stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(lower))) {
      return "machine id '" + id + "' is the name of a file tfleet writes in the output tree";
    }
    if (ROUND.matcher(id).matches()) {
      return "machine id '" + id + "' is the name tfleet gives to an earlier round's folder";
    }
    return null;
  }
}
