package io.tfleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version and the commit tfleet was built from, as the build wrote them into the jar, and the
 * Java runtime it runs on.
 */
final class Version implements IVersionProvider {
  /** Written by the build: the version (see pom.xml). */
  private static final String BUILD = "/io/tfleet/build.properties";

  /** Written by the build: what {@code git describe --dirty} said, empty without git. */
  private static final String GIT_COMMIT = "/io/tfleet/git-commit.txt";

  /** Filled in by {@code git archive} (export-subst), for a build from a source tarball. */
  private static final String ARCHIVE_COMMIT = "/io/tfleet/archive-commit.txt";

  private static final int SHORT = 12;

  @Override
  public String[] getVersion() {
    return new String[] {
      line(read(BUILD).getProperty("version"), text(GIT_COMMIT), text(ARCHIVE_COMMIT)),
      "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"
    };
  }

  /**
   * {@code tfleet 0.1.0 (commit 5c159d7a1b2c)}: the commit git gave the build, else the one {@code
   * git archive} wrote into the source tarball, else unknown.
   */
  static String line(String version, String gitCommit, String archiveCommit) {
    String git = gitCommit == null ? "" : gitCommit.strip();
    String archive = archiveCommit == null ? "" : archiveCommit.strip();
    String where;
    if (git.matches("[0-9a-f]{7,40}(-dirty)?")) {
      where =
          "commit "
              + git.replace("-dirty", "")
              + (git.endsWith("-dirty") ? ", with uncommitted changes" : "");
    } else if (archive.matches("[0-9a-f]{7,40}")) {
      where = "commit " + archive.substring(0, Math.min(SHORT, archive.length()));
    } else {
      where = "commit unknown";
    }
    String release = filled(version);
    return "tfleet " + (release == null ? "(development build)" : release) + " (" + where + ")";
  }

  /** A value the build filled in, or null for one it left as its placeholder. */
  private static String filled(String value) {
    return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
  }

  private static Properties read(String resource) {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(resource)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // no build information: the line says so
    }
    return properties;
  }

  private static String text(String resource) {
    try (InputStream in = Version.class.getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
