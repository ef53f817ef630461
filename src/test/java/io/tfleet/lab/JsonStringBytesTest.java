package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tfleet.testing.Pieces;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bytes written for an output are what Jackson writes for its text decoded as Java decodes
 * UTF-8, whatever the bytes and however the reads cut them.
 */
class JsonStringBytesTest {
  private static final JsonFactory JSON = new JsonFactory();

  /** Bytes of every kind: text, escapes, each length of sequence, and bytes that are not UTF-8. */
  private static byte[] randomBytes(Random random, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < length) {
      switch (random.nextInt(8)) {
        case 0 -> out.write(random.nextInt(0x20));
        case 1 -> out.write("\"\\/\u007f".charAt(random.nextInt(4)));
        case 2 ->
            out.writeBytes(
                new String(Character.toChars(0x80 + random.nextInt(0x10FF80)))
                    .getBytes(StandardCharsets.UTF_8));
        case 3 -> out.write(0x80 + random.nextInt(0x80));
        case 4 -> {
          // The beginning of a well-formed sequence, without its end.
          byte[] whole = (random.nextBoolean() ? "€" : "𝄞").getBytes(StandardCharsets.UTF_8);
          out.write(whole, 0, 1 + random.nextInt(whole.length - 1));
        }
        default -> out.write(0x20 + random.nextInt(0x5F));
      }
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }

  /** What Jackson writes between the quotes for the bytes decoded with U+FFFD for errors. */
  private static byte[] jackson(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeString(new String(bytes, StandardCharsets.UTF_8));
    }
    byte[] quoted = out.toByteArray();
    return Arrays.copyOfRange(quoted, 1, quoted.length - 1);
  }

  private static byte[] written(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonStringBytes.write(in, out);
    return out.toByteArray();
  }

  /** At most five bytes per read, so sequences are cut everywhere. */
  private static InputStream inPieces(byte[] bytes, Random random) {
    return new Pieces(bytes, random, 5);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void anyBytesAreWrittenAsJacksonWritesTheirDecodedText(int seed) throws IOException {
    Random random = new Random(seed);
    for (int i = 0; i < 300; i++) {
      byte[] bytes = randomBytes(random, random.nextInt(40));
      byte[] expected = jackson(bytes);
      String shown = HexFormat.ofDelimiter(" ").formatHex(bytes);
      assertThat(written(new ByteArrayInputStream(bytes))).as(shown).isEqualTo(expected);
      assertThat(written(inPieces(bytes, random))).as(shown + " in pieces").isEqualTo(expected);
    }
  }

  @Test
  void outputsLongerThanTheBuffersAreWrittenWhole() throws IOException {
    Random random = new Random(42);
    byte[] bytes = randomBytes(random, 300_000);
    byte[] expected = jackson(bytes);
    assertThat(written(new ByteArrayInputStream(bytes))).isEqualTo(expected);
    assertThat(written(inPieces(bytes, random))).isEqualTo(expected);
  }

  @Test
  void aLongRunOfBytesThatAreNotUtf8IsCutWhereItDecodesTheSame() throws IOException {
    byte[] bytes = new byte[200_000];
    Arrays.fill(bytes, (byte) 0x80);
    bytes[0] = (byte) 0xF0;
    bytes[70_000] = (byte) 0xED;
    bytes[70_001] = (byte) 0xA0;
    byte[] expected = jackson(bytes);
    assertThat(written(new ByteArrayInputStream(bytes))).isEqualTo(expected);
    assertThat(written(inPieces(bytes, new Random(7)))).isEqualTo(expected);
  }

  @Test
  void bytesThatAreNotUtf8ReadAsJavasDecoderReadsThem() throws IOException {
    // E0 cannot be followed by 80, so each is a U+FFFD; F0 9F 98, cut off at the end, is one.
    byte[] bytes = {'a', (byte) 0xE0, (byte) 0x80, 'b', (byte) 0xF0, (byte) 0x9F, (byte) 0x98};
    assertThat(new String(written(new ByteArrayInputStream(bytes)), StandardCharsets.UTF_8))
        .isEqualTo("a\uFFFD\uFFFDb\uFFFD");
  }
}
