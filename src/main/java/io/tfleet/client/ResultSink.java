package io.tfleet.client;

import java.io.IOException;
import java.io.Writer;

/**
 * Where {@link StreamingJson} sends the string values it does not keep in memory, such as a job's
 * test output: one writer per value, fed the decoded characters as they arrive.
 */
@FunctionalInterface
public interface ResultSink {
  /**
   * Called when a streamed string value of the top-level field {@code field} begins. The reader
   * writes the value's characters to the returned writer as it decodes them, and closes it when the
   * value ends, or when reading fails part way (the read's exception then says the value is
   * incomplete). Never called for a field whose value is {@code null}.
   */
  Writer open(String field) throws IOException;

  /** A sink that throws every streamed value away. */
  static ResultSink discarding() {
    return field -> Writer.nullWriter();
  }
}
