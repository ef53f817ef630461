package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays short and leads to every page under docs/, and no link between them points at a
 * file or a heading that is not there.
 */
class DocsTest {
  private static final Path README = Path.of("README.md");
  private static final Path DOCS = Path.of("docs");
  private static final Path CHANGELOG = Path.of("CHANGELOG.md");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

  @Test
  void readmeIsAtMostThreeHundredLinesAndKeepsTheTestCommand() throws IOException {
    List<String> lines = Files.readAllLines(README);
    assertThat(lines).hasSizeLessThanOrEqualTo(300);
    // CI's own check reads the test command from the README.
    assertThat(String.join("\n", lines)).contains("./mvnw -B verify");
  }

  @Test
  void everyPageUnderDocsIsLinkedFromTheReadme() throws IOException {
    Set<Path> linked = new TreeSet<>();
    for (String target : links(README)) {
      Path file = fileOf(README, target);
      if (file != null) {
        linked.add(file);
      }
    }
    assertThat(linked).containsAll(pages()).contains(CHANGELOG);
  }

  @Test
  void everyLinkFromTheReadmeAndTheDocsResolvesToAFileAndHeading() throws IOException {
    List<Path> sources = new ArrayList<>(pages());
    sources.add(README);
    sources.add(CHANGELOG);
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path source : sources) {
      for (String target : links(source)) {
        Path file = fileOf(source, target);
        if (file == null) {
          continue; // a web address
        }
        checked++;
        if (!Files.exists(file)) {
          broken.add(source + ": " + target + " (no such file)");
          continue;
        }
        int hash = target.indexOf('#');
        if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
          broken.add(source + ": " + target + " (no such heading in " + file + ")");
        }
      }
    }
    assertThat(checked).as("links checked").isGreaterThan(pages().size());
    assertThat(broken).isEmpty();
  }

  @Test
  void theChangelogHasASectionForTheVersionBeingBuilt() throws IOException {
    Matcher version =
        Pattern.compile("<artifactId>tfleet</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(version.find()).isTrue();
    assertThat(Files.readAllLines(CHANGELOG))
        .anyMatch(line -> line.startsWith("## " + version.group(1) + " "));
  }

  @Test
  void anchorsAreMadeAsGithubMakesThem() {
    assertThat(slug("The `tfleet lab` server: flags, and Start-up"))
        .isEqualTo("the-tfleet-lab-server-flags-and-start-up");
  }

  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(DOCS)) {
      return files.filter(f -> f.toString().endsWith(".md")).map(Path::normalize).sorted().toList();
    }
  }

  /** The link targets of a Markdown file, outside code blocks and code spans. */
  private static List<String> links(Path file) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  /** The local file a link points to (the file itself for "#anchor"), or null for a web address. */
  private static Path fileOf(Path source, String target) {
    if (target.matches("^[a-z]+:.*")) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash >= 0 ? target.substring(0, hash) : target;
    return (path.isEmpty() ? source : source.resolveSibling(path)).normalize();
  }

  private static Set<String> anchors(Path file) throws IOException {
    Set<String> anchors = new TreeSet<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      Matcher heading = HEADING.matcher(line);
      if (!fenced && heading.matches()) {
        anchors.add(slug(heading.group(1)));
      }
    }
    return anchors;
  }

  private static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
