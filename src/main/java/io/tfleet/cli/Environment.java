package io.tfleet.cli;

import java.util.Map;
import java.util.Optional;

/** The process environment, passed in so tests can set it. */
public record Environment(Map<String, String> variables) {
  public Environment {
    variables = Map.copyOf(variables);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** The variable's value, if set and not blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }
}
