package io.tfleet.cli;

import io.tfleet.report.SummaryTable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What tfleet knows about the terminal its standard error goes to, without a terminal library:
 * whether there is one ({@code test -t 2}), and its width ({@code COLUMNS} when set, else {@code
 * stty size} on {@code /dev/tty}, read again at every redraw so a resized window is followed).
 */
final class Terminal {
  /** The width assumed when none can be read: the classic terminal's. */
  static final int DEFAULT_COLUMNS = 80;

  private final Environment env;

  Terminal(Environment env) {
    this.env = env;
  }

  /**
   * Whether the process's standard error is a terminal. {@code System.console()} is not asked: it
   * is null as soon as standard input or output is redirected ({@code > summary.txt}), although the
   * person still watches standard error.
   */
  static boolean stderrIsTerminal() {
    try {
      Process test =
          new ProcessBuilder("sh", "-c", "test -t 2")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return test.waitFor(5, TimeUnit.SECONDS) && test.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The width a table printed on the command's output may take: the terminal's, when that output is
   * the process's standard output and a person is at it ({@code System.console()}: standard input
   * and output both terminals, told without starting a process); else unlimited (a file, a pipe or
   * a test's stream keeps every line whole).
   */
  static int tableWidth(Context context) {
    return context.out() == System.out && System.console() != null
        ? new Terminal(context.env()).columns()
        : SummaryTable.UNLIMITED;
  }

  /** The terminal's width in columns now; {@value #DEFAULT_COLUMNS} when it cannot be told. */
  int columns() {
    Integer fromEnv = env.get("COLUMNS").map(Terminal::positive).orElse(null);
    if (fromEnv != null) {
      return fromEnv;
    }
    try {
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String answer =
          new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] rowsCols = answer.split("\\s+");
        Integer cols = rowsCols.length == 2 ? positive(rowsCols[1]) : null;
        if (cols != null) {
          return cols;
        }
      }
    } catch (IOException e) {
      // No controlling terminal: fall through to the default.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_COLUMNS;
  }

  private static Integer positive(String text) {
    try {
      int n = Integer.parseInt(text.strip());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
