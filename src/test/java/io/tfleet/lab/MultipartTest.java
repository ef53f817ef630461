package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {
  @TempDir Path dir;

  private static byte[] form(String boundary, String[] names, byte[][] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < names.length; i++) {
      out.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + names[i]
                  + "\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(contents[i]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void copiesTheNamedFieldExactlyEvenWhenItHoldsPartsOfTheBoundary() throws Exception {
    String boundary = "abcabd";
    byte[] tricky =
        "x\r\n--abcab\r\n--abcabc\r\n-\r\n--abcabd-no".getBytes(StandardCharsets.US_ASCII);
    // Not quite a delimiter: the boundary must follow CRLF "--", and here it does not.
    byte[] content = new byte[200_000];
    new Random(7).nextBytes(content);
    System.arraycopy(tricky, 0, content, 1000, tricky.length - 7);
    Path target = dir.resolve("out");

    boolean found =
        Multipart.copyField(
            new ByteArrayInputStream(
                form(
                    boundary,
                    new String[] {"other", "file"},
                    new byte[][] {"v".getBytes(), content})),
            boundary,
            "file",
            target);

    assertThat(found).isTrue();
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
  }

  @Test
  void reportsAMissingField() throws Exception {
    byte[] body = form("b", new String[] {"other"}, new byte[][] {"v".getBytes()});

    assertThat(Multipart.copyField(new ByteArrayInputStream(body), "b", "file", dir.resolve("o")))
        .isFalse();
  }

  @Test
  void truncatedBodyIsMalformed() {
    byte[] body = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc".getBytes();

    assertThatThrownBy(
            () ->
                Multipart.copyField(new ByteArrayInputStream(body), "b", "file", dir.resolve("o")))
        .isInstanceOf(Multipart.MalformedException.class);
  }

  @Test
  void readsQuotedAndBareBoundaries() {
    assertThat(Multipart.boundary("multipart/form-data; boundary=\"a b\"")).isEqualTo("a b");
    assertThat(Multipart.boundary("Multipart/Form-Data;boundary=xyz; charset=utf-8"))
        .isEqualTo("xyz");
    assertThat(Multipart.boundary("application/json")).isNull();
  }
}
