package io.tfleet.client.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The persistent login the upstream CLI keeps for one server, shared with it: {@code <config
 * home>/testflinger-cli/<host>/auth.conf}, section {@code [AUTH]}, keys {@code client_id} and
 * {@code refresh_token}. Written atomically and readable by its owner only.
 */
public final class AuthFile {
  private static final String SECTION = "AUTH";

  private final Path path;

  private AuthFile(Path path) {
    this.path = path;
  }

  /** The login file for {@code server} under {@code configHome}. */
  public static AuthFile of(Path configHome, URI server) {
    Objects.requireNonNull(server.getHost(), "server host");
    return new AuthFile(
        configHome
            .resolve("testflinger-cli")
            .resolve(hostFolder(server.getHost()))
            .resolve("auth.conf"));
  }

  /**
   * The host as the CLI names its folder: every run of other characters than letters, digits and _
   * becomes _.
   */
  static String hostFolder(String host) {
    return host.replaceAll("[^A-Za-z0-9_]+", "_");
  }

  public Path path() {
    return path;
  }

  /** A stored login: whose it is and the refresh token. {@link #toString()} hides the token. */
  public record Stored(String clientId, String refreshToken) {
    public Stored {
      Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
      return "Stored[clientId=" + clientId + ", refreshToken=****]";
    }
  }

  /** The stored login, or empty when there is no file or it holds no refresh token. */
  public Optional<Stored> read() throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Map<String, String> auth = Ini.parse(text).getOrDefault(SECTION, Map.of());
    String refresh = auth.get("refresh_token");
    if (refresh == null || refresh.isBlank()) {
      return Optional.empty();
    }
    String clientId = auth.get("client_id");
    return Optional.of(
        new Stored(clientId == null || clientId.isBlank() ? null : clientId, refresh));
  }

  /** Stores a login, replacing the file whole: a reader sees the old login or the new one. */
  public void write(Stored login) throws IOException {
    Path dir = path.getParent();
    createPrivateDirectories(dir);
    Map<String, String> values = new LinkedHashMap<>();
    // configparser writes "None" for a missing value; an empty one reads back as no client id.
    values.put("client_id", login.clientId() == null ? "" : login.clientId());
    values.put("refresh_token", login.refreshToken());
    Path temp = createPrivateFile(dir);
    try {
      Files.writeString(temp, Ini.format(SECTION, values), StandardCharsets.UTF_8);
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Forgets the login, as the CLI does: the file goes. True when there was one. */
  public boolean remove() throws IOException {
    return Files.deleteIfExists(path);
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createPrivateDirectories(dir.getParent());
    try {
      if (posix(dir)) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // made by another process in between: fine
    }
  }

  private static Path createPrivateFile(Path dir) throws IOException {
    if (posix(dir)) {
      return Files.createTempFile(
          dir,
          ".auth.conf.",
          ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createTempFile(dir, ".auth.conf.", ".tmp");
  }

  private static boolean posix(Path anyPath) {
    return anyPath.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
