package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Results;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The watch finds what a search of the whole output finds, a piece at a time. */
class TestOutputWatchTest {
  private static final List<Pattern> PATTERNS =
      List.of(
          Results.HW_STATUS,
          Pattern.compile("status=(\\w+)"),
          Pattern.compile("(?m)^RESULT: (\\w+)$"),
          Pattern.compile("\\bok\\b"),
          Pattern.compile("(?<=\\n)STATE (\\d+)"),
          Pattern.compile("(fail)|(pass)"));

  private static final String[] FRAGMENTS = {
    "\"status\": \"Certified\"",
    "\"status\":\"fail\"",
    "\"status\":  \"in progress\"",
    "\"status\": \"\"",
    "\"status\" : \"spaced\"",
    "\"stat",
    "us\": \"",
    "\"",
    "status=up ",
    "status=",
    "RESULT: good\n",
    "\nRESULT: bad",
    "RESULT: ",
    "\n",
    "STATE 42 ",
    " ok ",
    "okay",
    "pass",
    "fail",
    "😀",
    " ",
    "x",
    "word"
  };

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int parts = random.nextInt(150);
    for (int i = 0; i < parts; i++) {
      if (random.nextInt(10) == 0) {
        int noise = random.nextInt(3000);
        for (int j = 0; j < noise; j++) {
          text.append(j % 7 == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
      } else {
        text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
    }
    return text.toString();
  }

  /**
   * Writes {@code text} as UTF-8 in random pieces, by each of the ways a stream can be written, so
   * that pieces end inside characters too.
   */
  private static void writeInPieces(OutputStream out, String text, Random random)
      throws IOException {
    int maxPiece = 1 + random.nextInt(random.nextBoolean() ? 10 : 5000);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; ) {
      int n = Math.min(bytes.length - i, 1 + random.nextInt(maxPiece));
      switch (random.nextInt(3)) {
        case 0 -> out.write(bytes, i, n);
        case 1 -> out.write(java.util.Arrays.copyOfRange(bytes, i, i + n));
        default -> {
          out.write(bytes[i]);
          n = 1;
        }
      }
      i += n;
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsWhatASearchOfTheWholeOutputFindsWhateverThePieces() throws IOException {
    Random random = new Random(77);
    int checked = 0;
    int found = 0;
    int trials = 1500;
    for (int trial = 0; trial < trials; trial++) {
      String text = randomText(random);
      Pattern pattern = PATTERNS.get(random.nextInt(PATTERNS.size()));
      int window = 40 + random.nextInt(400);
      Matcher whole = pattern.matcher(text);
      if (whole.find() && whole.end() - whole.start() + 1 >= window) {
        continue; // longer than the window: not promised
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TestOutputWatch watch = new TestOutputWatch(out, pattern, window);

      writeInPieces(watch, text, random);
      watch.close();

      String expected = Results.hwStatus(text, pattern);
      assertThat(watch.hwStatus().orElse(Results.UNKNOWN_HW_STATUS))
          .as("trial %d, pattern %s, window %d", trial, pattern, window)
          .isEqualTo(expected);
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(text);
      checked++;
      if (!expected.equals(Results.UNKNOWN_HW_STATUS)) {
        found++;
      }
    }
    // The property is not vacuous: most trials are checked, and many of them find a status.
    assertThat(checked).isGreaterThan(trials * 9 / 10);
    assertThat(found).isGreaterThan(trials / 3);
  }

  @Test
  void theDefaultRuleFindsAStatusSplitAtEveryCharacter() throws IOException {
    String text = "noise ".repeat(30_000) + "{\"status\": \"Certified\"}" + " more".repeat(30_000);
    int at = text.indexOf("\"status\"");
    for (int split = at - 2; split <= at + 25; split++) {
      TestOutputWatch watch =
          new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS);
      write(watch, text.substring(0, split));
      write(watch, text.substring(split));
      watch.close();

      assertThat(watch.hwStatus()).as("split at %d", split).contains("Certified");
    }
  }

  @Test
  void aWordAtTheEndOfAPieceWaitsForTheRestOfIt() throws IOException {
    TestOutputWatch watch =
        new TestOutputWatch(OutputStream.nullOutputStream(), Pattern.compile("s=(\\w+)"));
    write(watch, "s=Cert");
    write(watch, "ified and more");
    watch.close();

    assertThat(watch.hwStatus()).contains("Certified");
  }

  @Test
  void theStatusIsKnownBeforeTheEndOnceEnoughTextFollowsIt() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS);
    write(watch, "\"status\": \"pass\"");
    write(watch, "x".repeat(2 * TestOutputWatch.WINDOW_CHARS));

    assertThat(watch.hwStatus()).contains("pass");
  }

  @Test
  void aMatchLongerThanThreeWindowsIsNotFound() throws IOException {
    String text = "\"status\": \"" + "x".repeat(3 * 64) + "\"" + " filler".repeat(100);
    TestOutputWatch watch =
        new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS, 64);
    write(watch, text);
    watch.close();

    assertThat(Results.hwStatus(text)).isEqualTo("x".repeat(3 * 64));
    assertThat(watch.hwStatus()).isEmpty();
  }

  @Test
  void aMatchWithoutItsFirstGroupHasNoStatus() throws IOException {
    TestOutputWatch watch =
        new TestOutputWatch(OutputStream.nullOutputStream(), Pattern.compile("(fail)|(pass)"));
    write(watch, "it did pass, then fail");
    watch.close();

    assertThat(Results.hwStatus("it did pass, then fail", Pattern.compile("(fail)|(pass)")))
        .isEqualTo(Results.UNKNOWN_HW_STATUS);
    assertThat(watch.hwStatus()).isEqualTo(Optional.empty());
  }

  @Test
  void theSearchHoldsAtMostThreeWindowsHoweverMuchIsWritten() throws IOException {
    int window = 100;
    TestOutputWatch watch =
        new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS, window);
    Random random = new Random(3);
    int most = 0;
    for (int i = 0; i < 20_000; i++) {
      // Quotes everywhere keep the engine reaching the end of the text.
      write(watch, "\"stat\" ".repeat(1 + random.nextInt(60)));
      most = Math.max(most, watch.bufferedChars());
    }
    watch.close();

    assertThat(watch.hwStatus()).isEmpty();
    assertThat(most).isLessThanOrEqualTo(3 * window + TestOutputWatch.CONTEXT_CHARS);
  }

  @Test
  void theTailIsTheLastSixteenKilobytesOfText() throws IOException {
    Random random = new Random(5);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    TestOutputWatch watch = new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS);
    assertThat(watch.tail()).isEmpty();

    writeInPieces(watch, text.toString(), random);

    assertThat(watch.tail()).isEqualTo(text.substring(text.length() - TestOutputWatch.TAIL_CHARS));
    watch.close();
    assertThat(watch.tail()).hasSize(TestOutputWatch.TAIL_CHARS);
  }

  @Test
  void aShortOutputIsAllTail() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS);
    write(watch, "short\n");
    write(watch, "output");

    assertThat(watch.tail()).isEqualTo("short\noutput");
  }

  @Test
  void theTailDoesNotBeginWithHalfOfAPair() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS);
    write(watch, "a😀" + "b".repeat(TestOutputWatch.TAIL_CHARS - 1));

    assertThat(watch.tail()).isEqualTo("b".repeat(TestOutputWatch.TAIL_CHARS - 1));
  }

  @Test
  void theTailOfTextNotAllAsciiIsItsLastCharactersWhereverTheWritesCut() throws IOException {
    String[] chars = {"a", "é", "€", "😀", "\n"};
    Random random = new Random(11);
    for (int trial = 0; trial < 40; trial++) {
      StringBuilder text = new StringBuilder();
      int n = TestOutputWatch.TAIL_CHARS / 2 + random.nextInt(4 * TestOutputWatch.TAIL_CHARS);
      while (text.length() < n) {
        text.append(chars[random.nextInt(chars.length)]);
      }
      TestOutputWatch watch =
          new TestOutputWatch(OutputStream.nullOutputStream(), Results.HW_STATUS);

      writeInPieces(watch, text.toString(), random);
      watch.close();

      String expected = text.substring(Math.max(0, text.length() - TestOutputWatch.TAIL_CHARS));
      if (Character.isLowSurrogate(expected.charAt(0))) {
        expected = expected.substring(1);
      }
      assertThat(watch.tail()).as("trial %d, %d characters", trial, n).isEqualTo(expected);
    }
  }

  @Test
  void bytesThatAreNotUtf8AreSearchedAsReplacementCharacters() throws IOException {
    TestOutputWatch watch =
        new TestOutputWatch(OutputStream.nullOutputStream(), Pattern.compile("s=(\\S+)"));
    write(watch, "s=ok");
    watch.write(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) 0x82});
    write(watch, " and more");
    watch.close();

    assertThat(watch.hwStatus()).contains("ok\uFFFD\uFFFD");
    assertThat(watch.tail()).isEqualTo("s=ok\uFFFD\uFFFD and more");
  }

  @Test
  void closingClosesTheStreamUnderneath() throws IOException {
    boolean[] closed = {false};
    OutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    TestOutputWatch watch = new TestOutputWatch(out, Results.HW_STATUS);

    watch.close();

    assertThat(closed[0]).isTrue();
  }
}
