package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command's --help as a person reads it at 80 columns. */
class HelpTextTest {
  /** An option's names at the start of a line of the option list. */
  private static final Pattern OPTION = Pattern.compile("^ {2,6}(?:-\\w, )?--?[\\w-]+(?:=\\S+)?");

  /** The command line as built, and as laid out for each width asked for: each is built once. */
  private static final CommandLine AS_BUILT = commandLine();

  private static final Map<Integer, CommandLine> LAID_OUT = new ConcurrentHashMap<>();

  static Stream<String> commands() {
    List<String> names = new ArrayList<>();
    names.add("");
    names.addAll(AS_BUILT.getSubcommands().keySet());
    return names.stream().filter(n -> !n.equals("generate-completion"));
  }

  private static CommandLine commandLine() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Cli.commandLine(new Context(sink, sink, new Environment(Map.of())));
  }

  private static CommandLine command(CommandLine cli, String command) {
    return command.isEmpty() ? cli : cli.getSubcommands().get(command);
  }

  private static String help(String command, int width) {
    CommandLine cli =
        LAID_OUT.computeIfAbsent(
            width,
            w -> {
              CommandLine laidOut = commandLine();
              HelpLayout.install(laidOut, w);
              return laidOut;
            });
    return command(cli, command).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  @ParameterizedTest
  @MethodSource("commands")
  void noLineIsWiderThanEightyColumns(String command) {
    assertThat(help(command, 80).lines())
        .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void theLineInTheListOfCommandsIsAWholeSentence(String command) {
    if (!command.isEmpty()) {
      String[] description =
          command(AS_BUILT, command).getCommandSpec().usageMessage().description();
      assertThat(description[0]).endsWith(".");
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyParagraphOfTheDescriptionIsWholeSentences(String command) {
    // Each element is a paragraph that picocli wraps itself: one broken where the source line was
    // would show as short lines in the middle of a sentence.
    assertThat(command(AS_BUILT, command).getCommandSpec().usageMessage().description())
        .allSatisfy(paragraph -> assertThat(paragraph).endsWith("."));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void linesBreakBetweenWordsNeverInsideOne(String command) {
    // At 80 columns the text must hold the same words, in the same order, as where nothing wraps.
    assertThat(words(help(command, 80))).isEqualTo(words(help(command, Integer.MAX_VALUE)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyOptionsDescriptionStaysInItsColumn(String command) {
    // --status-pattern=REGEX and --oidc-code-lifetime=S fill the column of option names exactly.
    List<String> lines = help(command, 80).lines().toList();
    int column = -1;
    for (String line : lines) {
      Matcher name = OPTION.matcher(line);
      if (name.find() && line.startsWith("  ", name.end())) {
        column = name.end() + leadingSpaces(line.substring(name.end()));
        break;
      }
    }
    assertThat(column).as("the description column").isPositive();
    boolean inOptions = false;
    for (String line : lines) {
      Matcher name = OPTION.matcher(line);
      int indent = leadingSpaces(line);
      if (name.find()) {
        inOptions = true;
        String rest = line.substring(name.end());
        if (!rest.isEmpty()) {
          assertThat(name.end() + leadingSpaces(rest))
              .as("where the description starts: %s", line)
              .isEqualTo(column);
          assertThat(leadingSpaces(rest)).as("the gap after the name: %s", line).isGreaterThan(1);
        }
      } else if (indent == 0) {
        inOptions = false;
      } else if (inOptions) {
        assertThat(indent)
            .as("a description line under its column: %s", line)
            .isGreaterThanOrEqualTo(column);
      }
    }
  }

  private static int leadingSpaces(String text) {
    return text.length() - text.stripLeading().length();
  }
}
