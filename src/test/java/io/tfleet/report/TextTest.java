package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void lineEndingsBecomeNewlines() {
    assertThat(Text.clean("a\r\nb\rc\n")).isEqualTo("a\nb\nc\n");
  }

  @Test
  void terminalColoursGoButTheTextStays() {
    assertThat(Text.clean("\u001b[1;31mFAIL\u001b[0m done \u001b7")).isEqualTo("FAIL done 7");
  }

  @Test
  void supplementaryCharactersSurviveAndLoneSurrogatesGo() {
    assertThat(Text.clean("ok 😀 \udc00bad \ud83d")).isEqualTo("ok 😀 bad ");
  }

  @Test
  void shortOutputIsKeptWhole() {
    String output = "line\n".repeat(100);

    assertThat(Text.tail(output)).isEqualTo(output);
  }

  @Test
  void longOutputKeepsWholeLinesFromTheEnd() {
    String output = "0123456789abcdef\n".repeat(10_000);

    String tail = Text.tail(output);

    String kept = tail.substring(tail.indexOf('\n') + 1);
    assertThat(kept).startsWith("0123456789abcdef\n").endsWith("0123456789abcdef\n");
    assertThat(kept.length()).isLessThanOrEqualTo(Text.MAX_TAIL_CHARS);
    assertThat(tail)
        .startsWith("[... " + (output.length() - kept.length()) + " earlier characters cut ...]\n");
  }

  @Test
  void oneHugeLineIsCutThroughWithoutSplittingACharacter() {
    String output = "😀".repeat(Text.MAX_TAIL_CHARS) + "x";

    String kept = Text.tail(output).lines().skip(1).findFirst().orElseThrow();

    assertThat(kept).endsWith("x").doesNotContain("\ud83d\ud83d");
    assertThat(Character.isLowSurrogate(kept.charAt(0))).isFalse();
    assertThat(kept.length()).isLessThanOrEqualTo(Text.MAX_TAIL_CHARS);
  }
}
