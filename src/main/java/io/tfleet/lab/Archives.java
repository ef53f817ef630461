package io.tfleet.lab;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Unpacks an attachments archive into a job's folder, as an agent does before its phases, and packs
 * a job's artifacts, as an agent does after them.
 */
final class Archives {
  /** The archive cannot be unpacked safely, or is no tar archive. */
  static final class BadArchiveException extends IOException {
    BadArchiveException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Archives() {}

  /**
   * Unpacks a tar archive, gzipped or not, under {@code dest}, keeping file modes. Refuses the
   * whole archive when an entry, or a link, would land outside {@code dest}.
   */
  static void unpack(Path archive, Path dest) throws IOException {
    Files.createDirectories(dest);
    Path root = dest.toRealPath();
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root) || target.equals(root) && !entry.isDirectory()) {
          throw new BadArchiveException(
              "archive entry escapes the job folder: " + entry.getName(), null);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          setMode(target, entry.getMode() | 0700);
          continue;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        // A link unpacked earlier must not carry later entries out of the folder.
        if (!parent.toRealPath().startsWith(root)) {
          throw new BadArchiveException(
              "archive entry escapes the job folder: " + entry.getName(), null);
        }
        if (entry.isSymbolicLink()) {
          Path linkTarget = parent.resolve(entry.getLinkName()).normalize();
          if (!linkTarget.startsWith(root)) {
            throw new BadArchiveException(
                "archive link points outside the job folder: " + entry.getName(), null);
          }
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Path source = root.resolve(entry.getLinkName()).normalize();
          if (!source.startsWith(root) || !source.toRealPath().startsWith(root)) {
            throw new BadArchiveException(
                "archive link points outside the job folder: " + entry.getName(), null);
          }
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } else if (entry.isFile()) {
          if (Files.isSymbolicLink(target)) {
            Files.delete(target);
          }
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          setMode(target, entry.getMode() | 0600);
        }
        // Devices and fifos have no place in a job's attachments; skip them.
      }
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new BadArchiveException("not a readable tar archive: " + e.getMessage(), e);
    } catch (BadArchiveException e) {
      throw e;
    } catch (IOException e) {
      // Mostly a truncated or corrupt upload; a full disk would land here too, and the message
      // says which.
      throw new BadArchiveException("cannot unpack the archive: " + e.getMessage(), e);
    }
  }

  /**
   * Packs {@code folder} into a gzipped tar at {@code archive}, its entries under {@code <folder
   * name>/} as an agent's bundle has them; returns false, writing nothing, when the folder is
   * missing, a link, or empty. Links inside are left out: they may point anywhere on the host.
   */
  static boolean pack(Path folder, Path archive) throws IOException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || isEmpty(folder)) {
      return false;
    }
    Files.createDirectories(archive.getParent());
    Path temp = archive.resolveSibling("." + archive.getFileName() + ".tmp");
    Path base = folder.getParent();
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp));
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(file));
        Stream<Path> walk = Files.walk(folder)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isSymbolicLink(path) || !Files.isDirectory(path) && !Files.isRegularFile(path)) {
          continue;
        }
        String name = base.relativize(path).toString();
        tar.putArchiveEntry(tar.createArchiveEntry(path, name, LinkOption.NOFOLLOW_LINKS));
        if (Files.isRegularFile(path)) {
          Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
      }
    }
    Files.move(temp, archive, StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }

  private static InputStream maybeGunzip(InputStream in) throws IOException {
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    return a == 0x1f && b == 0x8b ? new GzipCompressorInputStream(in) : in;
  }

  private static void setMode(Path path, int mode) throws IOException {
    if (Files.isSymbolicLink(path)) {
      return;
    }
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    Files.setPosixFilePermissions(path, perms);
  }
}
