package io.tfleet.report;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tfleet.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The JSON files the reports write: one layout for all. */
final class JsonFiles {
  /**
   * Two-space indent and {@code \n} whatever the platform, so a file is the same byte for byte
   * everywhere (the golden test relies on it) and diffs well between runs.
   */
  private static final ObjectWriter WRITER =
      new ObjectMapper()
          .writer(
              new DefaultPrettyPrinter()
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private JsonFiles() {}

  /** Writes {@code value} as JSON to {@code file} atomically, ending in a newline. */
  static void write(Object value, Path file) throws IOException {
    AtomicFiles.write(
        file, (WRITER.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
