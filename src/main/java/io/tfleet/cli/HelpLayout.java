package io.tfleet.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Lays out every command's {@code --help} to a width, breaking lines between words only. picocli
 * breaks where {@link java.text.BreakIterator} allows, which is also inside {@code summary.md},
 * URLs and patterns; here picocli lays out on one wide line and each line is then wrapped at
 * spaces, continuation lines indented under the text they continue.
 */
final class HelpLayout {
  /** Where picocli never wraps, so that the only breaks are ours. */
  private static final int UNWRAPPED = 10_000;

  /**
   * A column of text after a gap of two spaces or more (an option's or a command's description).
   */
  private static final Pattern COLUMN = Pattern.compile("^(\\s*\\S.*?\\s{2,})\\S");

  private HelpLayout() {}

  /** Makes {@code cli} and its subcommands print their help {@code width} columns wide. */
  static void install(CommandLine cli, int width) {
    cli.setUsageHelpWidth(UNWRAPPED);
    Map<String, IHelpSectionRenderer> sections = cli.getHelpSectionMap();
    // "Usage: " and the synopsis are two sections: wrapped as one line, they line up.
    IHelpSectionRenderer heading =
        sections.get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
    IHelpSectionRenderer synopsis =
        sections.get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS);
    for (Map.Entry<String, IHelpSectionRenderer> section : sections.entrySet()) {
      IHelpSectionRenderer renderer = section.getValue();
      section.setValue(help -> wrap(renderer.render(help), width));
    }
    if (heading != null && synopsis != null) {
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING, help -> "");
      sections.put(
          CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
          help -> wrap(heading.render(help) + synopsis.render(help), width));
    }
    cli.setHelpSectionMap(sections);
    cli.getSubcommands().values().forEach(sub -> install(sub, width));
  }

  /** Wraps each line of {@code text} longer than {@code width} at spaces. */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    String[] lines = ownLineForFullNames(text).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(lines[i].length() <= width ? lines[i] : wrapLine(lines[i], width));
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /**
   * An option whose name fills its column leaves one space before the description, which then reads
   * as part of the name and cannot be told from a wrapped line: such a description starts on a line
   * of its own under the column, as picocli puts those of longer names.
   */
  private static String ownLineForFullNames(String text) {
    String[] lines = text.split("\n", -1);
    int column = descriptionColumn(lines);
    if (column < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int lead = leadingSpaces(line);
      int gap = line.indexOf("  ", lead);
      boolean fullName =
          lead < line.length()
              && line.charAt(lead) == '-'
              && line.length() > column
              && line.charAt(column - 1) == ' '
              && line.charAt(column - 2) != ' '
              && line.charAt(column) != ' '
              && (gap < 0 || gap > column);
      if (fullName) {
        out.append(line, 0, column - 1).append('\n').append(" ".repeat(column));
        out.append(line.substring(column));
      } else {
        out.append(line);
      }
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Where the descriptions of a list of options start, or -1 when the text is no such list. */
  private static int descriptionColumn(String[] lines) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (String line : lines) {
      Matcher column = COLUMN.matcher(line);
      if (line.stripLeading().startsWith("-") && column.find() && column.end(1) <= 40) {
        counts.merge(column.end(1), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(-1);
  }

  private static String wrapLine(String line, int width) {
    int indent = hangingIndent(line);
    int lead = leadingSpaces(line);
    StringBuilder out = new StringBuilder();
    StringBuilder current = new StringBuilder(line.substring(0, lead));
    boolean hasWord = false;
    String[] tokens = line.substring(lead).split(" ", -1);
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      if (token.isEmpty()) {
        if (i > 0 && hasWord) {
          current.append(' '); // the gaps of a column layout
        }
        continue;
      }
      boolean space = i > 0 && hasWord;
      if (hasWord && current.length() + (space ? 1 : 0) + token.length() > width) {
        out.append(current.toString().stripTrailing()).append('\n');
        current = new StringBuilder(" ".repeat(indent));
        space = false;
      }
      if (space) {
        current.append(' ');
      }
      current.append(token);
      hasWord = true;
    }
    return out.append(current.toString().stripTrailing()).toString();
  }

  /**
   * Continuation lines start under the text they continue (a description: two further in, as
   * picocli).
   */
  private static int hangingIndent(String line) {
    if (line.startsWith("Usage: ")) {
      int options = line.indexOf(" [");
      return options > 0 ? options + 1 : "Usage: ".length();
    }
    Matcher column = COLUMN.matcher(line);
    int start = column.find() && column.end(1) <= 40 ? column.end(1) : leadingSpaces(line);
    return start > 20 ? start + 2 : start;
  }

  private static int leadingSpaces(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
