package io.tfleet.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names tfleet gives in an output tree, in one place: the files of the tree's top folder, and
 * the folders a machine folder keeps its earlier rounds in ({@code round-N/}). A machine's folder
 * is named by its id, so an id that is one of these names would overwrite a report, the lock or the
 * manifest, or be taken for one; see {@link #problemWith}.
 */
public final class TreeNames {
  /** The reports a run writes in the tree's top folder. */
  public static final String SUMMARY_JSON = "summary.json";

  public static final String JUNIT_XML = "junit.xml";
  public static final String REPORT_HTML = "report.html";
  public static final String SUMMARY_MD = "summary.md";
  public static final String COMPARISON_JSON = "comparison.json";

  private static final Set<String> TREE_FILES =
      Set.of(
          SUMMARY_JSON,
          JUNIT_XML,
          REPORT_HTML,
          SUMMARY_MD,
          COMPARISON_JSON,
          TreeLock.FILE,
          RunManifest.FILE);

  private static final Pattern ROUND = Pattern.compile("round-[0-9]+", Pattern.CASE_INSENSITIVE);

  private static final Pattern ATTEMPT =
      Pattern.compile("attempt-([0-9]+)", Pattern.CASE_INSENSITIVE);

  private TreeNames() {}

  /** The name of round {@code n}'s folder inside a machine folder: {@code round-3}. */
  public static String round(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("rounds start at 1, not " + n);
    }
    return "round-" + n;
  }

  /**
   * The name of attempt {@code k}'s folder inside a machine folder ({@code attempt-2}): where an
   * earlier attempt of the same run keeps its files, the latest staying where the original script
   * puts them.
   */
  public static String attempt(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("attempts start at 1, not " + k);
    }
    return "attempt-" + k;
  }

  /** The number of the attempt folder {@code name}, or 0 when it is none. */
  public static int attemptNumber(String name) {
    var m = ATTEMPT.matcher(name);
    return m.matches() && m.group(1).length() < 6 ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Whether {@code name} is a round folder's name. */
  public static boolean isRound(String name) {
    return ROUND.matcher(name).matches();
  }

  /**
   * {@code folder}'s round {@code n}, read as a machine folder of its own; empty when it has none.
   */
  public static Optional<MachineFolder> round(MachineFolder folder, int n) {
    Path dir = folder.dir().resolve(round(n));
    return Files.isDirectory(dir)
        ? Optional.of(new MachineFolder(folder.machine(), dir))
        : Optional.empty();
  }

  /**
   * Says why {@code id} cannot name a machine folder in an output tree, or returns null. Compared
   * without regard to case, for case-insensitive disks.
   */
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
    if (isRound(id)) {
      return "machine id '" + id + "' is the name tfleet gives to an earlier round's folder";
    }
    if (ATTEMPT.matcher(id).matches()) {
      return "machine id '" + id + "' is the name tfleet gives to an earlier attempt's folder";
    }
    return null;
  }

  /**
   * Whether {@code name} is one of the files of a machine folder a person reads: {@code
   * output.txt}, a {@code <phase>_output.txt}, {@code result.json}, {@code job.yaml} or {@code
   * error.txt}.
   */
  public static boolean isReadable(String name) {
    return name.equals(MachineFolder.OUTPUT)
        || (name.endsWith("_" + MachineFolder.OUTPUT) && !name.startsWith("."))
        || name.equals(MachineFolder.RESULT)
        || name.equals(MachineFolder.JOB_YAML)
        || name.equals(MachineFolder.ERROR);
  }

  /**
   * The readable {@code names} in the order reports list them: {@code output.txt}, the other
   * phases' outputs by name, {@code result.json}, {@code job.yaml}, {@code error.txt}.
   */
  public static List<String> inReadingOrder(Collection<String> names) {
    List<String> ordered = new ArrayList<>();
    if (names.contains(MachineFolder.OUTPUT)) {
      ordered.add(MachineFolder.OUTPUT);
    }
    names.stream()
        .filter(
            n ->
                !n.equals(MachineFolder.OUTPUT)
                    && n.endsWith("_" + MachineFolder.OUTPUT)
                    && !n.startsWith("."))
        .sorted()
        .forEach(ordered::add);
    for (String name :
        new String[] {MachineFolder.RESULT, MachineFolder.JOB_YAML, MachineFolder.ERROR}) {
      if (names.contains(name)) {
        ordered.add(name);
      }
    }
    return ordered;
  }
}
