package io.tfleet.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The process environment and the folder relative paths start from, passed in so tests can set
 * them: a command run in the tests' own JVM finds its files where a process started there would.
 */
public record Environment(Map<String, String> variables, Path workingDirectory) {
  public Environment {
    variables = Map.copyOf(variables);
  }

  /** These variables, with relative paths taken as the process takes them. */
  public Environment(Map<String, String> variables) {
    this(variables, Path.of(""));
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** The variable's value, if set and not blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }

  /** A path as the user wrote it; a relative one starts from the working directory. */
  public Path path(String path) {
    return workingDirectory.resolve(path);
  }
}
