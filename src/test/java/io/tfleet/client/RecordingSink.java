package io.tfleet.client;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps each streamed value whole, and what happened to its writer, for tests to compare. */
final class RecordingSink implements ResultSink {
  final Map<String, String> values = new LinkedHashMap<>();
  final List<String> opened = new ArrayList<>();
  final List<String> closed = new ArrayList<>();

  /** The longest single write a writer was given. */
  int largestWrite;

  @Override
  public Writer open(String field) {
    opened.add(field);
    StringWriter text = new StringWriter();
    return new Writer() {
      private boolean done;

      @Override
      public void write(char[] cbuf, int off, int len) throws IOException {
        if (done) {
          throw new IOException("written after close");
        }
        largestWrite = Math.max(largestWrite, len);
        text.write(cbuf, off, len);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {
        if (!done) {
          done = true;
          closed.add(field);
          values.put(field, text.toString());
        }
      }
    };
  }
}
