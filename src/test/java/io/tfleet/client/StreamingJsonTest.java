package io.tfleet.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.BadAnswerException.Kind;
import io.tfleet.testing.Pieces;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming reader reads what Jackson reads, and turns away what is not a result object. */
class StreamingJsonTest {
  private static final ObjectMapper JACKSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final Predicate<String> STREAMED = StreamingJson.OUTPUT_FIELDS;

  /** A body with every feature: escapes, pairs, nesting, a streamed null, white space. */
  private static final String EVERYTHING =
      "\uFEFF {\"job_state\": \"complete\", \"test_output\": \"line\\none \\\"q\\\" \\\\ \\/ \\b"
          + "\\f\\r\\t \\u00e9\\u00E9 \\ud83d\\ude00 é 😀 中\", \"setup_output\": null,\n"
          + " \"device_info\": {\"a\": [1, -2.5e3, true, false, null, {\"b\": \"\\u0041\"}],"
          + " \"test_output\": \"nested stays\"}, \"log_data\": \"\", \"n\": 12345678901234567890,"
          + "\"x_output\"\t:\r\n[\"not a string\"] }\n";

  /** Reads {@code body} with Jackson, then takes out what the streaming reader streams. */
  private static Expected expected(byte[] body) throws IOException {
    ObjectNode tree = (ObjectNode) JACKSON.readTree(body);
    Map<String, String> streamed = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : tree.deepCopy().properties()) {
      if (STREAMED.test(field.getKey()) && field.getValue().isTextual()) {
        streamed.put(field.getKey(), field.getValue().textValue());
        tree.remove(field.getKey());
      }
    }
    return new Expected(tree, streamed);
  }

  private record Expected(ObjectNode tree, Map<String, String> streamed) {}

  private static void assertReadsAsJacksonDoes(byte[] body, InputStream in) throws IOException {
    Expected expected = expected(body);
    RecordingSink sink = new RecordingSink();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();

    ObjectNode tree = StreamingJson.readObject(in, sink, STREAMED, raw);

    assertThat(tree).isEqualTo(expected.tree());
    // A streamed value arrives as UTF-8: the bytes Java writes for what Jackson read.
    assertThat(sink.bytes.keySet()).containsExactlyElementsOf(expected.streamed().keySet());
    expected
        .streamed()
        .forEach(
            (field, text) -> assertThat(sink.bytes.get(field)).isEqualTo(text.getBytes(UTF_8)));
    assertThat(sink.closed).isEqualTo(sink.opened);
    assertThat(raw.toByteArray()).isEqualTo(body);
  }

  private static BadAnswerException refused(String body) {
    return refused(body.getBytes(StandardCharsets.UTF_8));
  }

  private static BadAnswerException refused(byte[] body) {
    BadAnswerException e =
        catchThrowableOfType(
            BadAnswerException.class,
            () ->
                StreamingJson.readObject(
                    new ByteArrayInputStream(body), new RecordingSink(), STREAMED));
    assertThat(e).as("refused: %s", new String(body, StandardCharsets.UTF_8)).isNotNull();
    assertThat(e.getMessage()).doesNotContain("Exception", "java.", "\n");
    return e;
  }

  @Test
  void readsWhatJacksonReadsForRandomObjectsArrivingInRandomPieces() throws IOException {
    Random random = new Random(20240611);
    for (int i = 0; i < 400; i++) {
      // Some streamed values are longer than the read buffer, so they cross its refills.
      byte[] body = RandomJson.resultObject(random, i % 10 == 0 ? 150_000 : 3_000);
      int maxPiece = new int[] {1, 2, 7, 100, 9000, 70_000}[random.nextInt(6)];
      assertReadsAsJacksonDoes(body, new Pieces(body, random, maxPiece));
    }
  }

  @Test
  void readsTheSameWhicheverByteTheBodyIsSplitAt() throws IOException {
    byte[] body = EVERYTHING.getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= body.length; split++) {
      assertReadsAsJacksonDoes(body, Pieces.splitAt(body, split));
    }
  }

  /**
   * A streamed value's bytes as they come from a server: ASCII, well-formed sequences of two to
   * four bytes, and bytes that are not UTF-8 (stray continuation bytes, lead bytes cut short).
   */
  private static byte[] outputBytes(Random random, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] wellFormed = {"é", "€", "😀", "ß", "中"};
    while (out.size() < length) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        int c = ' ' + random.nextInt(95);
        out.write(c == '"' || c == '\\' ? 'x' : c);
      } else if (kind < 8) {
        out.writeBytes(wellFormed[random.nextInt(wellFormed.length)].getBytes(UTF_8));
      } else {
        out.write(0x80 + random.nextInt(0x80));
      }
    }
    return out.toByteArray();
  }

  @Test
  void decodesBytesThatAreNotAllAsciiAsAReaderDoesWhereverTheReadsCutThem() throws IOException {
    Random random = new Random(31);
    for (int i = 0; i < 300; i++) {
      byte[] inner = outputBytes(random, i % 10 == 0 ? 150_000 : 1 + random.nextInt(400));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes("{\"test_output\": \"".getBytes(UTF_8));
      body.writeBytes(inner);
      body.writeBytes("\", \"kept\": \"".getBytes(UTF_8));
      body.writeBytes(outputBytes(random, 1 + random.nextInt(40)));
      body.writeBytes("\"}".getBytes(UTF_8));
      byte[] bytes = body.toByteArray();
      int maxPiece = new int[] {1, 2, 3, 5, 100, 70_000}[random.nextInt(6)];
      RecordingSink sink = new RecordingSink();

      ObjectNode tree =
          StreamingJson.readObject(new Pieces(bytes, random, maxPiece), sink, STREAMED);

      // What Java's decoder makes of the whole text at once, U+FFFD for each part not UTF-8.
      String whole = new String(bytes, UTF_8);
      String field = "\"kept\": \"";
      String kept = whole.substring(whole.indexOf(field) + field.length(), whole.length() - 2);
      assertThat(sink.values.get("test_output")).isEqualTo(new String(inner, UTF_8));
      assertThat(tree.get("kept").textValue()).isEqualTo(kept);
    }
  }

  @Test
  void decodesEveryEscapeIncludingSurrogatePairs() throws IOException {
    RecordingSink sink = new RecordingSink();
    String body =
        "{\"test_output\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u00e9 \\uD83D\\uDE00"
            + " \\ud800 😀\", \"kept\": \"\\uD83D\\uDE00\\u20AC\"}";

    ObjectNode tree =
        StreamingJson.readObject(
            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), sink, STREAMED);

    // The sink has UTF-8, as Java's encoder writes it: the lone surrogate is a '?'.
    assertThat(sink.values.get("test_output")).isEqualTo("\" \\ / \b \f \n \r \t \u0000 é 😀 ? 😀");
    assertThat(tree.get("kept").textValue()).isEqualTo("😀€");
  }

  private static final String[] VALUE_PIECES = {
    "plain text ",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\t",
    "\\u0041",
    "\\u00e9",
    "\\u20AC",
    "\\uD83D\\uDE00",
    "\\ud800",
    "\\udc00",
    "\\uD83D",
    "é",
    "€",
    "😀",
    "中文"
  };

  private static final byte[][] NOT_UTF8 = {
    {(byte) 0xFF},
    {(byte) 0xC3},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF0, (byte) 0x9F}
  };

  @Test
  void aStreamedValueIsWhatJavasEncoderWritesForItsCharactersWhereverTheReadsCutIt()
      throws IOException {
    Random random = new Random(43);
    for (int trial = 0; trial < 400; trial++) {
      ByteArrayOutputStream inner = new ByteArrayOutputStream();
      int pieces = random.nextInt(60);
      for (int i = 0; i < pieces; i++) {
        int kind = random.nextInt(20);
        if (kind == 0) {
          inner.writeBytes(NOT_UTF8[random.nextInt(NOT_UTF8.length)]);
        } else if (kind == 1) {
          inner.writeBytes("x".repeat(random.nextInt(70_000)).getBytes(UTF_8)); // past a buffer
        } else {
          inner.writeBytes(VALUE_PIECES[random.nextInt(VALUE_PIECES.length)].getBytes(UTF_8));
        }
      }
      byte[] value = inner.toByteArray();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes("{\"test_output\": \"".getBytes(UTF_8));
      body.writeBytes(value);
      body.writeBytes("\", \"kept\": 1}".getBytes(UTF_8));
      int maxPiece = new int[] {1, 2, 3, 5, 7, 100, 70_000}[random.nextInt(7)];
      RecordingSink sink = new RecordingSink();

      ObjectNode tree =
          StreamingJson.readObject(
              new Pieces(body.toByteArray(), random, maxPiece), sink, STREAMED);

      // Decoded, unescaped, then encoded by Java's writer, as the characters once were.
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      try (java.io.Writer writer = new java.io.OutputStreamWriter(expected, UTF_8)) {
        writer.write(unescape(new String(value, UTF_8)));
      }
      assertThat(sink.bytes.get("test_output"))
          .as("trial %d, reads of up to %d bytes", trial, maxPiece)
          .isEqualTo(expected.toByteArray());
      assertThat(tree.get("kept").intValue()).isEqualTo(1);
    }
  }

  /** JSON's escapes undone, one UTF-16 unit for each {@code \\u}, as the reader must. */
  private static String unescape(String json) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c != '\\') {
        text.append(c);
        continue;
      }
      char e = json.charAt(++i);
      switch (e) {
        case 'n' -> text.append('\n');
        case 't' -> text.append('\t');
        case 'u' -> {
          text.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> text.append(e);
      }
    }
    return text.toString();
  }

  @Test
  void aStreamedFieldThatIsNullStaysInTheTreeAndOpensNothing() throws IOException {
    RecordingSink sink = new RecordingSink();

    ObjectNode tree =
        StreamingJson.readObject(
            new ByteArrayInputStream("{\"test_output\": null}".getBytes(StandardCharsets.UTF_8)),
            sink,
            STREAMED);

    assertThat(sink.opened).isEmpty();
    assertThat(tree.has("test_output")).isTrue();
    assertThat(tree.get("test_output").isNull()).isTrue();
  }

  @Test
  void onlyStringsOfTopLevelFieldsStream() throws IOException {
    RecordingSink sink = new RecordingSink();
    String body =
        "{\"test_output\": 5, \"setup_output\": {\"log_data\": \"x\"}, \"other\": \"y\","
            + " \"log_data\": \"streamed\"}";

    ObjectNode tree =
        StreamingJson.readObject(
            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), sink, STREAMED);

    assertThat(sink.values).containsExactly(Map.entry("log_data", "streamed"));
    assertThat(tree.toString())
        .isEqualTo("{\"test_output\":5,\"setup_output\":{\"log_data\":\"x\"},\"other\":\"y\"}");
  }

  @Test
  void aLongStreamedValueReachesTheSinkInBoundedWrites() throws IOException {
    String output = "0123456789\\n".repeat(100_000); // 1.1 MB of JSON, escapes throughout
    RecordingSink sink = new RecordingSink();

    StreamingJson.readObject(
        new ByteArrayInputStream(
            ("{\"test_output\": \"" + output + "\"}").getBytes(StandardCharsets.UTF_8)),
        sink,
        STREAMED);

    assertThat(sink.values.get("test_output")).isEqualTo("0123456789\n".repeat(100_000));
    assertThat(sink.largestWrite).isLessThanOrEqualTo(JsonChars.BUFFER_CHARS);
  }

  @Test
  void theRawCopyIsExactlyTheBytesOfTheBodyEvenWhenTheyAreNotUtf8() throws IOException {
    byte[] body = {
      '{',
      '"',
      't',
      'e',
      's',
      't',
      '_',
      'o',
      'u',
      't',
      'p',
      'u',
      't',
      '"',
      ':',
      '"',
      'a',
      (byte) 0xff,
      (byte) 0xc3,
      'b',
      '"',
      '}',
      ' ',
      '\n'
    };
    RecordingSink sink = new RecordingSink();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();

    StreamingJson.readObject(new Pieces(body, new Random(1), 3), sink, STREAMED, raw);

    assertThat(raw.toByteArray()).isEqualTo(body);
    assertThat(sink.values.get("test_output")).isEqualTo("a\uFFFD\uFFFDb");
  }

  @Test
  void theSinksStreamIsClosedWhenTheBodyEndsInsideItsValue() {
    RecordingSink sink = new RecordingSink();

    assertThatThrownBy(
            () ->
                StreamingJson.readObject(
                    new ByteArrayInputStream(
                        "{\"test_output\": \"half of it".getBytes(StandardCharsets.UTF_8)),
                    sink,
                    STREAMED))
        .isInstanceOf(BadAnswerException.class);
    assertThat(sink.closed).containsExactly("test_output");
    assertThat(sink.values.get("test_output")).isEqualTo("half of it");
  }

  @Test
  void aFailingSinkFailsTheRead() {
    IOException full = new IOException("No space left on device");
    ResultSink sink =
        field ->
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw full;
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                throw full;
              }
            };

    assertThatThrownBy(
            () ->
                StreamingJson.readObject(
                    new ByteArrayInputStream(
                        "{\"test_output\": \"x\"}".getBytes(StandardCharsets.UTF_8)),
                    sink,
                    STREAMED))
        .isSameAs(full);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<!DOCTYPE html>\n<html><body>Log in</body></html>",
        "<html>",
        "404 page not found",
        "nginx error",
        "Bad Gateway",
        "tru",
        "{\"a\": 1} trailing",
        "{\"a\": 1}{\"b\": 2}",
        "{\"a\": tru}",
        "{\"a\" 1}",
        "{'a': 1}",
        "{a: 1}",
        "{\"a\": 01}",
        "{\"a\": 1,}",
        "{\"a\": [1 2]}",
        "{\"a\": [1,]}",
        "{\"a\": -}",
        "{\"a\": 1.}",
        "{\"a\": .5}",
        "{\"a\": +1}",
        "{\"a\": 1e}",
        "{\"a\": \"\\x\"}",
        "{\"a\": \"\\u12G4\"}",
        "{\"a\": \"tab\there\"}",
        "{\"test_output\": \"bad \\q escape\"}",
        "{\"test_output\": \"raw\nnewline\"}",
        "{\"a\": nul}",
        "{\"a\": NaN}",
        "{,}",
        "{\"a\": 1 \"b\": 2}"
      })
  void bodiesThatAreNotJsonAreNotJson(String body) {
    assertThatThrownBy(() -> JACKSON.readTree(body)).as("Jackson agrees").isNotNull();

    assertThat(refused(body).kind()).isEqualTo(Kind.NOT_JSON);
  }

  @Test
  void moreAfterTheObjectIsQuoted() {
    assertThat(refused("{\"a\": 1}\n<html>\n").getMessage())
        .isEqualTo("the server's answer goes on after its JSON (with \"<html>\")");
    assertThat(refused("{\"a\": tru}").getMessage())
        .isEqualTo(
            "the server's answer is not valid JSON: it has '}' at character 10 where 'e' belongs");
  }

  @Test
  void anErrorInAStreamedValueNamesTheCharacterAsInAKeptOne() {
    String value = "é中😀\\n" + "x".repeat(70_000) + "😀 \\u00e9 ";
    for (String bad : new String[] {"\u0001", "\\q", "\\u12G4"}) {
      String streamed = refused("{\"test_output\": \"" + value + bad + "\"}").getMessage();
      // A field name as long as test_output's, so the error is at the same character.
      String kept = refused("{\"other_field\": \"" + value + bad + "\"}").getMessage();

      assertThat(streamed)
          .as(bad)
          .matches("the server's answer is not valid JSON: it has .* at character \\d+.*");
      assertThat(streamed.replace("other_field", "test_output"))
          .isEqualTo(kept.replace("other_field", "test_output"));
    }
  }

  @Test
  void anHtmlPageSaysHowItStarts() {
    assertThat(refused("\n  <!DOCTYPE html>\n<html><head><title>Sign in</title>").getMessage())
        .isEqualTo("the server's answer is not JSON (it starts with \"<!DOCTYPE html>\")");
    assertThat(refused("x".repeat(500)).getMessage())
        .isEqualTo(
            "the server's answer is not JSON (it starts with \"" + "x".repeat(40) + "...\")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n\r\t "})
  void anEmptyBodyIsNotJson(String body) {
    BadAnswerException e = refused(body);

    assertThat(e.kind()).isEqualTo(Kind.NOT_JSON);
    assertThat(e.getMessage()).isEqualTo("the server's answer is empty, where JSON was expected");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2]", "[]", "42", "-1.5e3", "\"a string\"", "true", "null", " [{}] "})
  void jsonThatIsNotAnObjectIsTheWrongShape(String body) {
    BadAnswerException e = refused(body);

    assertThat(e.kind()).isEqualTo(Kind.WRONG_SHAPE);
    assertThat(e.getMessage()).startsWith("the server's answer is JSON but not a result object");
  }

  @Test
  void everyBodyCutBeforeItsEndIsCutShort() {
    byte[] body = EVERYTHING.strip().getBytes(StandardCharsets.UTF_8);
    int start = "\uFEFF ".getBytes(StandardCharsets.UTF_8).length;
    for (int end = start + 1; end < body.length; end++) {
      byte[] cut = Arrays.copyOf(body, end);
      BadAnswerException e = refused(cut);

      assertThat(e.kind()).as("cut after %d bytes", end).isEqualTo(Kind.CUT_SHORT);
      assertThat(e.getMessage()).isEqualTo("the server's answer ends in the middle of its JSON");
    }
  }

  @Test
  void aStringInTheTreeMayBeAMillionCharactersAndNoMore() throws IOException {
    String most = "{\"a\": \"" + "x".repeat(StreamingJson.MAX_TREE_STRING_CHARS) + "\"}";
    ObjectNode tree =
        StreamingJson.readObject(
            new ByteArrayInputStream(most.getBytes(StandardCharsets.UTF_8)),
            ResultSink.discarding(),
            STREAMED);
    assertThat(tree.get("a").textValue()).hasSize(StreamingJson.MAX_TREE_STRING_CHARS);

    BadAnswerException e =
        refused("{\"a\": [\"" + "x".repeat(StreamingJson.MAX_TREE_STRING_CHARS + 1) + "\"]}");

    assertThat(e.kind()).isEqualTo(Kind.WRONG_SHAPE);
    assertThat(e.getMessage())
        .isEqualTo("the server's answer has a string of over 1000000 characters in \"a\"");
  }

  @Test
  void aStreamedStringHasNoLimit() throws IOException {
    RecordingSink sink = new RecordingSink();
    String big = "y".repeat(3 * StreamingJson.MAX_TREE_STRING_CHARS);

    StreamingJson.readObject(
        new ByteArrayInputStream(
            ("{\"test_output\": \"" + big + "\"}").getBytes(StandardCharsets.UTF_8)),
        sink,
        STREAMED);

    assertThat(sink.values.get("test_output")).isEqualTo(big);
  }

  @Test
  void nestingIsKeptToSixtyFourLevels() throws IOException {
    // The top-level object is level 1: 63 arrays inside it make 64.
    String deepest = "{\"a\": " + "[".repeat(63) + "]".repeat(63) + "}";
    assertThat(
            StreamingJson.readObject(
                new ByteArrayInputStream(deepest.getBytes(StandardCharsets.UTF_8)),
                ResultSink.discarding(),
                STREAMED))
        .isEqualTo(JACKSON.readTree(deepest));

    BadAnswerException e = refused("{\"a\": " + "[".repeat(64) + "]".repeat(64) + "}");

    assertThat(e.kind()).isEqualTo(Kind.WRONG_SHAPE);
    assertThat(e.getMessage())
        .isEqualTo("the server's answer nests its JSON deeper than 64 levels");
    assertThat(refused("[".repeat(100_000)).kind()).isEqualTo(Kind.WRONG_SHAPE);
  }

  @Test
  void theTreeIsBuiltFromEightMillionCharactersAtMost() throws IOException {
    StringBuilder numbers = new StringBuilder("{\"a\": [0");
    while (numbers.length() < StreamingJson.MAX_KEPT_CHARS) {
      numbers.append(",0");
    }
    BadAnswerException e = refused(numbers.append("]}").toString());
    assertThat(e.kind()).isEqualTo(Kind.WRONG_SHAPE);

    // The streamed values do not count against it.
    String output = "z".repeat((int) StreamingJson.MAX_KEPT_CHARS + 10);
    RecordingSink sink = new RecordingSink();
    StreamingJson.readObject(
        new ByteArrayInputStream(
            ("{\"test_output\": \"" + output + "\", \"b\": 1}").getBytes(StandardCharsets.UTF_8)),
        sink,
        STREAMED);
    assertThat(sink.values.get("test_output")).hasSize(output.length());
  }

  @Test
  void aNumberOfOverAThousandDigitsIsTheWrongShape() {
    assertThat(refused("{\"a\": " + "9".repeat(1001) + "}").kind()).isEqualTo(Kind.WRONG_SHAPE);
  }

  @Test
  void theHintNamesWhatIsUsuallyInBetween() {
    assertThat(BadAnswerException.hint())
        .isEqualTo("the server's answers are not JSON — a proxy or login page in between?");
  }
}
