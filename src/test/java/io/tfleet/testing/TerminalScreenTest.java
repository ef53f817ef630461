package io.tfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalScreenTest {
  private static final String CLEAR = "\r\033[K";

  @Test
  void aLineRedrawnInPlaceLeavesOneCopy() {
    assertThat(TerminalScreen.render(CLEAR + "1/3" + CLEAR + "2/3" + CLEAR + "3/3\r\ndone\r\n", 80))
        .containsExactly("3/3", "done", "");
  }

  @Test
  void aLineWiderThanTheTerminalLeavesItsWrappedStartBehindAtEachRedraw() {
    String wide = CLEAR + "a".repeat(90) + CLEAR + "b".repeat(90) + "\r\n";
    assertThat(TerminalScreen.render(wide, 80))
        .containsExactly("a".repeat(80), "b".repeat(80), "b".repeat(10), "");
  }

  @Test
  void aLineAsWideAsTheTerminalWrapsOnlyWhenMoreFollows() {
    assertThat(TerminalScreen.render("x".repeat(80) + "\r\n", 80))
        .containsExactly("x".repeat(80), "");
    assertThat(TerminalScreen.render("x".repeat(80) + "y", 80))
        .containsExactly("x".repeat(80), "y");
  }
}
