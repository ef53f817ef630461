package io.tfleet.client.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream CLI's own settings: {@code <config home>/testflinger-cli.conf}, section {@code
 * [testflinger-cli]}, written by {@code testflinger config key=value}. Keys: {@code server}, {@code
 * client_id}, {@code secret_key}.
 */
public record CliSettings(Path file, Map<String, String> values) {
  public CliSettings {
    values = Map.copyOf(values);
  }

  /** The settings under {@code configHome}; none when the file is missing or unreadable. */
  public static CliSettings read(Path configHome) {
    Path file = configHome.resolve("testflinger-cli.conf");
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return new CliSettings(file, Ini.parse(text).getOrDefault("testflinger-cli", Map.of()));
    } catch (IOException e) {
      // Missing or unreadable: no settings, as configparser reads it.
      return new CliSettings(file, Map.of());
    }
  }

  /** A setting's value, when set and not blank. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
  }
}
