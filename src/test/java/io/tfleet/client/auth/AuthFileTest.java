package io.tfleet.client.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFileTest {
  @TempDir Path home;

  @Test
  void loginIsKeptWhereAndHowTheUpstreamCliKeepsIt() throws Exception {
    AuthFile file = AuthFile.of(home, URI.create("https://testflinger.example.com:8443/"));

    file.write(new AuthFile.Stored("someone@example.com", "r3fresh"));

    Path expected = home.resolve("testflinger-cli/testflinger_example_com/auth.conf");
    assertThat(file.path()).isEqualTo(expected);
    assertThat(Files.readString(expected))
        .isEqualTo("[AUTH]\nclient_id = someone@example.com\nrefresh_token = r3fresh\n\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected.getParent())))
        .isEqualTo("rwx------");
    try (var siblings = Files.list(expected.getParent())) {
      assertThat(siblings).containsExactly(expected); // no temporary file left behind
    }
  }

  @Test
  void aLoginWrittenByTheUpstreamCliIsRead() throws Exception {
    Path written = home.resolve("testflinger-cli/127_0_0_1/auth.conf");
    Files.createDirectories(written.getParent());
    // configparser's own output, and a hand edit with ':' and odd case.
    Files.writeString(written, "[AUTH]\nclient_id = ci-user\nrefresh_token = abc.def\n\n");
    AuthFile file = AuthFile.of(home, URI.create("http://127.0.0.1:5000"));
    assertThat(file.read()).contains(new AuthFile.Stored("ci-user", "abc.def"));

    Files.writeString(written, "# kept by hand\n[AUTH]\nClient_ID: x\nREFRESH_TOKEN : y\n");
    assertThat(file.read()).contains(new AuthFile.Stored("x", "y"));
  }

  @Test
  void noFileOrNoRefreshTokenIsNoLogin() throws Exception {
    AuthFile file = AuthFile.of(home, URI.create("http://lab.example"));
    assertThat(file.read()).isEmpty();
    Files.createDirectories(file.path().getParent());
    Files.writeString(file.path(), "[AUTH]\nclient_id = x\n");
    assertThat(file.read()).isEmpty();
  }

  @Test
  void removeForgetsTheLogin() throws Exception {
    AuthFile file = AuthFile.of(home, URI.create("http://lab.example"));
    file.write(new AuthFile.Stored(null, "t"));
    assertThat(file.read()).contains(new AuthFile.Stored(null, "t"));

    assertThat(file.remove()).isTrue();
    assertThat(file.path()).doesNotExist();
    assertThat(file.remove()).isFalse();
  }

  @Test
  void everyRunOfOtherCharactersThanLettersDigitsAndUnderscoreBecomesOneUnderscore() {
    assertThat(AuthFile.hostFolder("testflinger.canonical.com"))
        .isEqualTo("testflinger_canonical_com");
    assertThat(AuthFile.hostFolder("my-lab..example_1")).isEqualTo("my_lab_example_1");
    assertThat(AuthFile.hostFolder("[::1]")).isEqualTo("_1_");
  }

  @Test
  void configHomeIsXdgConfigHomeElseHomeDotConfig() {
    assertThat(ConfigHome.of(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h")))
        .contains(Path.of("/x"));
    assertThat(ConfigHome.of(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h")))
        .contains(Path.of("/h/.config"));
    assertThat(ConfigHome.of(Map.of())).isEmpty();
  }

  @Test
  void tokensNeverShowInToString() {
    assertThat(new AuthFile.Stored("me", "s3cret").toString()).doesNotContain("s3cret");
  }
}
