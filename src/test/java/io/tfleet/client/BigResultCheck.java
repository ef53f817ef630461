package io.tfleet.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.fleet.Results;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Streams one {@link BigResultBody} through {@link StreamingJson} and {@link TestOutputWatch} and
 * prints what came out beside what went in; {@link StreamingMemoryTest} runs it in a small heap.
 */
final class BigResultCheck {
  private BigResultCheck() {}

  public static void main(String[] args) throws Exception {
    BigResultBody body = new BigResultBody(Long.parseLong(args[0]), 42);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long[] chars = {0};
    long[] rawBytes = {0};
    TestOutputWatch[] watch = {null};
    ResultSink sink =
        field -> {
          if (!field.equals("test_output")) {
            return Writer.nullWriter();
          }
          Writer digest =
              new OutputStreamWriter(
                  new DigestOutputStream(OutputStream.nullOutputStream(), sha),
                  StandardCharsets.UTF_8);
          watch[0] = new TestOutputWatch(counting(digest, chars), Results.HW_STATUS);
          return watch[0];
        };
    OutputStream raw =
        new OutputStream() {
          @Override
          public void write(int b) {
            rawBytes[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            rawBytes[0] += len;
          }
        };

    ObjectNode tree = StreamingJson.readObject(body, sink, StreamingJson.OUTPUT_FIELDS, raw);

    System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
    System.out.println("chars=" + chars[0]);
    System.out.println("expectedChars=" + body.outputChars());
    System.out.println("sha256=" + HexFormat.of().formatHex(sha.digest()));
    System.out.println("expectedSha256=" + body.outputSha256());
    System.out.println("rawBytes=" + rawBytes[0]);
    System.out.println("expectedRawBytes=" + body.bytes());
    System.out.println("hwStatus=" + watch[0].hwStatus().orElse("none"));
    System.out.println(
        "tailEndsWithStatusAndLastLine="
            + watch[0].tail().endsWith(BigResultBody.STATUS_LINE + BigResultBody.LAST_LINE));
    System.out.println("tree=" + tree);
  }

  private static Writer counting(Writer out, long[] count) {
    return new Writer() {
      @Override
      public void write(char[] cbuf, int off, int len) throws IOException {
        count[0] += len;
        out.write(cbuf, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
