package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which server and credentials tfleet takes when the command line does not say. */
class ServerSettingsTest {
  @TempDir Path config;

  private void cliSettings(String text) throws Exception {
    Files.writeString(config.resolve("testflinger-cli.conf"), text);
  }

  private static ServerOptions parsed(String... args) {
    RunCommand run = new RunCommand(null);
    new CommandLine(run).parseArgs(args);
    return run.server;
  }

  @Test
  void theCliSettingsFileWinsOverTheEnvironmentAsInTheCli() throws Exception {
    cliSettings("[testflinger-cli]\nserver = http://from-file.example:5000\n");
    Environment env =
        new Environment(
            Map.of(
                "XDG_CONFIG_HOME",
                config.toString(),
                "TESTFLINGER_SERVER",
                "http://from-env.example"));

    assertThat(parsed().serverUrl(env)).hasToString("http://from-file.example:5000");
    assertThat(ServerOptions.defaultServer(env).source()).contains("testflinger-cli.conf");
  }

  @Test
  void theServerFlagWinsOverEverything() throws Exception {
    cliSettings("[testflinger-cli]\nserver = http://from-file.example\n");
    Environment env = new Environment(Map.of("XDG_CONFIG_HOME", config.toString()));

    assertThat(parsed("--server", "http://flag.example").serverUrl(env))
        .hasToString("http://flag.example");
  }

  @Test
  void withoutTheFileTheEnvironmentThenThePublicServer() throws Exception {
    cliSettings("[testflinger-cli]\nerror_threshold = 3\n");
    Environment env =
        new Environment(
            Map.of(
                "XDG_CONFIG_HOME",
                config.toString(),
                "TESTFLINGER_SERVER",
                "http://from-env.example"));
    assertThat(parsed().serverUrl(env)).hasToString("http://from-env.example");

    Environment none = new Environment(Map.of("XDG_CONFIG_HOME", config.toString()));
    assertThat(parsed().serverUrl(none)).hasToString(ServerOptions.DEFAULT_SERVER);
  }

  @Test
  void aBadServerInTheFileIsReportedWithTheFile() throws Exception {
    cliSettings("[testflinger-cli]\nserver = ftp://nope\n");
    Environment env = new Environment(Map.of("XDG_CONFIG_HOME", config.toString()));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parsed().serverUrl(env))
        .hasMessageContaining("testflinger-cli.conf")
        .hasMessageContaining("not an http(s) URL");
  }

  @Test
  void credentialsComeFromTheFlagsThenTheCliSettingsThenTheEnvironment() throws Exception {
    cliSettings("[testflinger-cli]\nclient_id = file-id\nsecret_key = file-key\n");
    Environment env =
        new Environment(
            Map.of(
                "XDG_CONFIG_HOME",
                config.toString(),
                "TESTFLINGER_CLIENT_ID",
                "env-id",
                "TESTFLINGER_SECRET_KEY",
                "env-key"));

    assertThat(parsed().credentials(env).clientId()).isEqualTo("file-id");
    assertThat(parsed("--client-id", "flag-id", "--secret-key", "k").credentials(env).clientId())
        .isEqualTo("flag-id");
    Files.delete(config.resolve("testflinger-cli.conf"));
    assertThat(parsed().credentials(env).clientId()).isEqualTo("env-id");
  }
}
