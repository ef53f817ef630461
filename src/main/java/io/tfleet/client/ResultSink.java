package io.tfleet.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where {@link StreamingJson} sends the string values it does not keep in memory, such as a job's
 * test output: one stream per value, fed the value as UTF-8 as it arrives.
 */
@FunctionalInterface
public interface ResultSink {
  /**
   * Called when a streamed string value of the top-level field {@code field} begins. The reader
   * writes the value to the returned stream as it reads it, in UTF-8: the bytes Java's UTF-8
   * encoder would write for the value's characters (so a byte of the answer that is not UTF-8 is
   * U+FFFD's, and an escaped surrogate without its other half a {@code ?}). It closes the stream
   * when the value ends, or when reading fails part way (the read's exception then says the value
   * is incomplete). Never called for a field whose value is {@code null}.
   */
  OutputStream open(String field) throws IOException;

  /** A sink that throws every streamed value away. */
  static ResultSink discarding() {
    return field -> OutputStream.nullOutputStream();
  }
}
