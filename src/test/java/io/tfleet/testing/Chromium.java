package io.tfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.store.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Debian's Chromium, headless, for checking pages as a person's browser shows them. One browser
 * serves the whole test JVM: each page opens in a tab of its own, which is closed after, so pages
 * do not see each other, and the browser's start (most of what a page costs) is paid once.
 */
public final class Chromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  /** The one browser of this JVM, started on first use; null until then. */
  private static DevTools browser;

  private Chromium() {}

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** The message tests skip with when Chromium is absent. */
  public static String missing() {
    return "Chromium is not installed at " + BINARY + " (apt-get install chromium); skipping";
  }

  /**
   * Returns the DOM of {@code page} at {@code fragment} once it loaded and its scripts ran, as
   * {@code chromium --dump-dom} prints it.
   */
  public static String dumpDom(Path page, String fragment) throws Exception {
    DevTools devTools = browser();
    try (DevTools.Tab tab = devTools.open(1280, 900)) {
      tab.load(page.toUri() + fragment);
      return tab.evaluate("document.documentElement.outerHTML").asText();
    }
  }

  /** Starts this JVM's browser now, if it is not running yet, so that a timing leaves it out. */
  public static void start() throws Exception {
    browser();
  }

  /** Writes a PNG of {@code page} in a window of {@code width} × {@code height}, no scrollbars. */
  public static void screenshot(Path page, int width, int height, Path png) throws Exception {
    DevTools devTools = browser();
    try (DevTools.Tab tab = devTools.open(width, height)) {
      tab.load(page.toUri().toString());
      String data =
          tab.call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText();
      assertThat(data).as("Chromium's screenshot").isNotEmpty();
      Files.write(png, Base64.getDecoder().decode(data));
    }
  }

  private static synchronized DevTools browser() throws Exception {
    if (browser == null || !browser.alive()) {
      Path profile = Files.createTempDirectory("tfleet-chromium-");
      browser = DevTools.start(BINARY, profile);
      DevTools started = browser;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    delete(profile);
                  },
                  "chromium-shutdown"));
    }
    return browser;
  }

  private static void delete(Path dir) {
    try {
      Folders.deleteTree(dir);
    } catch (IOException e) {
      // A temporary profile left behind; the JVM is going anyway.
    }
  }
}
