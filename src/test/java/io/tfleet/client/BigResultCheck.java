package io.tfleet.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.fleet.Results;
import java.io.IOException;
import java.io.OutputStream;
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
            return OutputStream.nullOutputStream();
          }
          OutputStream digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha);
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

  /** Passes UTF-8 on, counting the UTF-16 characters it encodes (two for a pair). */
  private static OutputStream counting(OutputStream out, long[] count) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
          if ((b[i] & 0xC0) != 0x80) {
            count[0]++; // a character begins
          }
          if ((b[i] & 0xF8) == 0xF0) {
            count[0]++; // one that takes a pair of surrogates
          }
        }
        out.write(b, off, len);
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
