package io.tfleet.cli;

import io.tfleet.client.auth.Person;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The person at the terminal, for logins. Someone is taken to be there when tfleet runs on a
 * terminal ({@link System#console()}), unless {@code TFLEET_INTERACTIVE} says otherwise: {@code 1}
 * (a person can approve a login although there is no terminal) or {@code 0} (never wait for one).
 */
final class TerminalPerson implements Person {
  static final String INTERACTIVE = "TFLEET_INTERACTIVE";

  private final Environment env;
  private final PrintWriter err;

  TerminalPerson(Environment env, PrintWriter err) {
    this.env = env;
    this.err = err;
  }

  @Override
  public boolean present() {
    Optional<String> said = said();
    if (said.isPresent()) {
      return List.of("1", "true", "yes").contains(said.get());
    }
    return System.console() != null;
  }

  /** Whether {@code TFLEET_INTERACTIVE} says that nobody is there, whatever the terminal. */
  boolean saidAbsent() {
    return said().filter(v -> !List.of("1", "true", "yes").contains(v)).isPresent();
  }

  private Optional<String> said() {
    return env.get(INTERACTIVE).map(v -> v.strip().toLowerCase(Locale.ROOT));
  }

  @Override
  public void tell(String line) {
    err.println(line);
    err.flush();
  }

  /**
   * Starts {@code $BROWSER} when set ({@code none} opens nothing), else {@code xdg-open} on a
   * graphical Linux session, else {@code open} on macOS; quietly does nothing when none of them can
   * start. It does not wait for the browser.
   */
  @Override
  public void open(URI uri) {
    List<String> command = browserCommand(uri.toString());
    if (command.isEmpty()) {
      return;
    }
    try {
      new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException | RuntimeException e) {
      // no browser: the person has the address and the code on the terminal
    }
  }

  List<String> browserCommand(String uri) {
    Optional<String> browser = env.get("BROWSER");
    List<String> command = new ArrayList<>();
    if (browser.isPresent()) {
      // BROWSER may list several commands separated by ':'; the first is tried, %s is the address.
      String first = browser.get().split(":", -1)[0].strip();
      if (first.isEmpty() || first.equals("none")) {
        return List.of();
      }
      boolean placed = false;
      for (String word : first.split("\\s+")) {
        placed |= word.contains("%s");
        command.add(word.replace("%s", uri));
      }
      if (!placed) {
        command.add(uri);
      }
      return command;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("mac")) {
      return List.of("open", uri);
    }
    boolean graphical = env.get("DISPLAY").isPresent() || env.get("WAYLAND_DISPLAY").isPresent();
    if (graphical && onPath("xdg-open")) {
      return List.of("xdg-open", uri);
    }
    return List.of();
  }

  private boolean onPath(String program) {
    for (String dir : env.get("PATH").orElse("").split(File.pathSeparator)) {
      if (!dir.isEmpty() && new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
