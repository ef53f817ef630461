package io.tfleet.job;

import java.util.regex.Pattern;

/**
 * A lab machine's id, safe to use as a folder name; {@code line} is where the machines file names
 * it.
 */
public record MachineId(String value, int line) implements Comparable<MachineId> {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

  public MachineId {
    String problem = problemWith(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Says why {@code id} cannot be a machine id, or returns null when it can. */
  public static String problemWith(String id) {
    if (id == null || id.isEmpty()) {
      return "empty machine id";
    }
    if (id.equals(".") || id.equals("..")) {
      return "machine id '" + id + "' is not a folder name";
    }
    if (!SAFE.matcher(id).matches()) {
      return "machine id '" + id + "' may hold only letters, digits, '.', '_' and '-'";
    }
    if (id.startsWith("-")) {
      // The folder is named by the id, and `cat -x/output.txt` or `ls -x` takes it for an option.
      return "machine id '"
          + id
          + "' starts with '-': every shell command naming its folder would read it as an option";
    }
    return null;
  }

  @Override
  public int compareTo(MachineId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
