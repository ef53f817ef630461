package io.tfleet.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each streamed value whole (its UTF-8 bytes read as text), and what happened to its stream,
 * for tests to compare.
 */
final class RecordingSink implements ResultSink {
  final Map<String, String> values = new LinkedHashMap<>();
  final List<String> opened = new ArrayList<>();
  final List<String> closed = new ArrayList<>();

  /** Each streamed value's bytes. */
  final Map<String, byte[]> bytes = new LinkedHashMap<>();

  /** The longest single write a stream was given. */
  int largestWrite;

  @Override
  public OutputStream open(String field) {
    opened.add(field);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    return new OutputStream() {
      private boolean done;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (done) {
          throw new IOException("written after close");
        }
        largestWrite = Math.max(largestWrite, len);
        text.write(b, off, len);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {
        if (!done) {
          done = true;
          closed.add(field);
          bytes.put(field, text.toByteArray());
          values.put(field, text.toString(StandardCharsets.UTF_8));
        }
      }
    };
  }
}
