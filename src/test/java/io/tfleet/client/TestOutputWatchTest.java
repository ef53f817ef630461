package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Results;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
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

  /** Writes {@code text} in random pieces, by each of the ways a writer can be written. */
  private static void writeInPieces(Writer out, String text, Random random) throws IOException {
    int maxPiece = 1 + random.nextInt(random.nextBoolean() ? 10 : 5000);
    char[] chars = text.toCharArray();
    for (int i = 0; i < text.length(); ) {
      int n = Math.min(text.length() - i, 1 + random.nextInt(maxPiece));
      switch (random.nextInt(4)) {
        case 0 -> out.write(chars, i, n);
        case 1 -> out.write(text, i, n);
        case 2 -> out.append(text, i, i + n);
        default -> {
          out.write(text.charAt(i));
          n = 1;
        }
      }
      i += n;
    }
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
      StringWriter out = new StringWriter();
      TestOutputWatch watch = new TestOutputWatch(out, pattern, window);

      writeInPieces(watch, text, random);
      watch.close();

      String expected = Results.hwStatus(text, pattern);
      assertThat(watch.hwStatus().orElse(Results.UNKNOWN_HW_STATUS))
          .as("trial %d, pattern %s, window %d", trial, pattern, window)
          .isEqualTo(expected);
      assertThat(out.toString()).isEqualTo(text);
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
      TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS);
      watch.write(text, 0, split);
      watch.write(text, split, text.length() - split);
      watch.close();

      assertThat(watch.hwStatus()).as("split at %d", split).contains("Certified");
    }
  }

  @Test
  void aWordAtTheEndOfAPieceWaitsForTheRestOfIt() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Pattern.compile("s=(\\w+)"));
    watch.write("s=Cert");
    watch.write("ified and more");
    watch.close();

    assertThat(watch.hwStatus()).contains("Certified");
  }

  @Test
  void theStatusIsKnownBeforeTheEndOnceEnoughTextFollowsIt() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS);
    watch.write("\"status\": \"pass\"");
    watch.write("x".repeat(2 * TestOutputWatch.WINDOW_CHARS));

    assertThat(watch.hwStatus()).contains("pass");
  }

  @Test
  void aMatchLongerThanThreeWindowsIsNotFound() throws IOException {
    String text = "\"status\": \"" + "x".repeat(3 * 64) + "\"" + " filler".repeat(100);
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS, 64);
    watch.write(text);
    watch.close();

    assertThat(Results.hwStatus(text)).isEqualTo("x".repeat(3 * 64));
    assertThat(watch.hwStatus()).isEmpty();
  }

  @Test
  void aMatchWithoutItsFirstGroupHasNoStatus() throws IOException {
    TestOutputWatch watch =
        new TestOutputWatch(Writer.nullWriter(), Pattern.compile("(fail)|(pass)"));
    watch.write("it did pass, then fail");
    watch.close();

    assertThat(Results.hwStatus("it did pass, then fail", Pattern.compile("(fail)|(pass)")))
        .isEqualTo(Results.UNKNOWN_HW_STATUS);
    assertThat(watch.hwStatus()).isEqualTo(Optional.empty());
  }

  @Test
  void theSearchHoldsAtMostThreeWindowsHoweverMuchIsWritten() throws IOException {
    int window = 100;
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS, window);
    Random random = new Random(3);
    int most = 0;
    for (int i = 0; i < 20_000; i++) {
      // Quotes everywhere keep the engine reaching the end of the text.
      watch.write("\"stat\" ".repeat(1 + random.nextInt(60)));
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
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS);
    assertThat(watch.tail()).isEmpty();

    writeInPieces(watch, text.toString(), random);

    assertThat(watch.tail()).isEqualTo(text.substring(text.length() - TestOutputWatch.TAIL_CHARS));
    watch.close();
    assertThat(watch.tail()).hasSize(TestOutputWatch.TAIL_CHARS);
  }

  @Test
  void aShortOutputIsAllTail() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS);
    watch.write("short\n");
    watch.write("output");

    assertThat(watch.tail()).isEqualTo("short\noutput");
  }

  @Test
  void theTailDoesNotBeginWithHalfOfAPair() throws IOException {
    TestOutputWatch watch = new TestOutputWatch(Writer.nullWriter(), Results.HW_STATUS);
    watch.write("a😀" + "b".repeat(TestOutputWatch.TAIL_CHARS - 1));

    assertThat(watch.tail()).isEqualTo("b".repeat(TestOutputWatch.TAIL_CHARS - 1));
  }

  @Test
  void closingClosesTheWriterUnderneath() throws IOException {
    boolean[] closed = {false};
    Writer out =
        new StringWriter() {
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
