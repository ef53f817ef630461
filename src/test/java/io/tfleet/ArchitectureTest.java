package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages point one way: {@code cli → fleet → client/job/store/report}, {@code report →
 * store}, {@code client.auth → client}, and {@code lab} apart. Each package says so in its {@code
 * package-info.java}; this test keeps it true, reading every reference to another package in the
 * sources (imports and fully qualified names alike).
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/io/tfleet");

  /** Which packages each package may use, besides itself; a package not listed may use none. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "", Set.of("cli"),
          "cli", Set.of("client", "client.auth", "fleet", "job", "report", "store", "lab"),
          "fleet", Set.of("client", "job", "report", "store"),
          "report", Set.of("store"),
          "client.auth", Set.of("client"));

  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.tfleet\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

  @Test
  void packagesDependOneWay() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles()) {
      String from = packageOf(file);
      Set<String> allowed = ALLOWED.getOrDefault(topOf(from), Set.of());
      for (String to : referencedPackages(file)) {
        boolean same =
            to.equals(from) || topOf(to).equals(topOf(from)) && !to.equals("client.auth");
        if (!same && !allowed.contains(to) && !allowed.contains(topOf(to))) {
          violations.add(SOURCES.relativize(file) + " uses io.tfleet." + to);
        }
      }
    }
    assertThat(violations).as("references against the package rule").isEmpty();
  }

  @Test
  void everyPackageSaysWhatItOwns() throws IOException {
    Set<Path> packages = new TreeSet<>();
    for (Path file : javaFiles()) {
      packages.add(file.getParent());
    }
    assertThat(packages).isNotEmpty();
    for (Path dir : packages) {
      if (!dir.equals(SOURCES)) {
        assertThat(dir.resolve("package-info.java")).as(dir + " has a package-info.java").exists();
      }
    }
  }

  /** Without this, the rule above could pass by reading nothing. */
  @Test
  void theScanSeesAKnownReference() throws IOException {
    assertThat(referencedPackages(SOURCES.resolve("fleet/Run.java")))
        .contains("client", "store", "job", "report");
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static String packageOf(Path file) {
    return SOURCES.relativize(file.getParent()).toString().replace('/', '.');
  }

  private static String topOf(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  private static Set<String> referencedPackages(Path file) throws IOException {
    Set<String> found = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("package ")) {
        continue;
      }
      Matcher m = REFERENCE.matcher(line);
      while (m.find()) {
        found.add(m.group(1));
      }
    }
    return found;
  }
}
