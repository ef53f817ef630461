package io.tfleet.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * A build step, not a test: writes the AsciiDoc source of every man page ({@code tfleet.adoc},
 * {@code tfleet-run.adoc}, ...) and the bash completion script from the same command model that
 * prints {@code --help}, so the pages never drift from the help. The release profile of pom.xml
 * runs it, then turns the AsciiDoc into troff.
 */
public final class ManPageSources {
  private ManPageSources() {}

  /** {@code ManPageSources ADOC_DIR COMPLETION_FILE}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ManPageSources ADOC_DIR COMPLETION_FILE");
    }
    Path adoc = Path.of(args[0]);
    Path completion = Path.of(args[1]);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    CommandLine cli = Cli.commandLine(new Context(sink, sink, new Environment(Map.of())));
    Files.createDirectories(adoc);
    int code =
        ManPageGenerator.generateManPage(
            adoc.toFile(),
            /* templatesDir= */ (File) null,
            /* verbosity= */ new boolean[0],
            /* force= */ true,
            cli.getCommandSpec());
    if (code != 0) {
      throw new IOException("the man page generator exited " + code);
    }
    Files.createDirectories(completion.toAbsolutePath().getParent());
    Files.writeString(completion, AutoComplete.bash("tfleet", cli), StandardCharsets.UTF_8);
  }
}
