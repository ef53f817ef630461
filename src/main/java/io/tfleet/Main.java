package io.tfleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.cli.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;

/** Process entry point; everything else is testable through {@link Cli#run}. */
public final class Main {
  /** Options after which tfleet only prints: a warm-up would only compete with them. */
  private static final Set<String> JUST_PRINTS = Set.of("-h", "--help", "-V", "--version");

  private Main() {}

  public static void main(String[] args) {
    if (Arrays.stream(args).noneMatch(JUST_PRINTS::contains)) {
      warmUp();
    }
    System.exit(Cli.runAsProcess(args));
  }

  /**
   * Initialises Jackson on a second thread while the first reads the command line: on a cold JVM
   * each takes about a fifth of a second, and nearly every command needs both. A class is
   * initialised once, by whichever thread comes first, so nothing is done twice. (Building the HTTP
   * client here too was measured no faster: {@code TestflingerClient} starts that itself.)
   */
  private static void warmUp() {
    Thread warm =
        new Thread(
            () -> {
              try {
                new ObjectMapper().readTree("{\"warm\":[1]}");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "tfleet-warm-up");
    warm.setDaemon(true);
    warm.start();
  }
}
