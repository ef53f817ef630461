package io.tfleet.fleet;

import io.tfleet.client.Reply;
import io.tfleet.store.MachineFolder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Keeps a finished job's artifact bundle, unpacked in the machine's {@code artifacts/} folder. The
 * bundle comes from the job's own commands, so it is unpacked as untrusted input: nothing may land
 * outside the folder, and a reader sees the whole folder or none of it.
 */
final class Artifacts {
  /** A bundle that cannot be unpacked safely, or is no gzipped tar. */
  static final class BadBundleException extends IOException {
    BadBundleException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Artifacts() {}

  /**
   * Downloads and unpacks the bundle of {@code run}'s filed job, if it has one; a download that
   * fails in a way that may pass is scheduled again on the downloads lane (for up to {@code
   * --retry-for} from {@code startedNanos}). A bundle that still cannot be downloaded, or cannot be
   * unpacked, is a notice, not a lost machine: the verdict does not depend on it.
   */
  static void fetch(FleetRuntime rt, MachineRun run, int attempt, long startedNanos)
      throws IOException, InterruptedException {
    MachineFolder folder = run.folder;
    String jobId = run.stage().jobId();
    Path dir = folder.dir();
    Path download = dir.resolve(hidden(MachineFolder.ARTIFACTS + ".tar.gz"));
    try {
      Reply<Boolean> reply = rt.once(() -> rt.client.downloadArtifact(jobId, download));
      if (!reply.ok()) {
        Optional<Duration> pause = rt.retry.pauseAfter(reply.problem(), attempt, startedNanos);
        if (pause.isPresent() && !reply.problem().stopsRun()) {
          rt.retry.tell(run.machine, reply.problem(), pause.get());
          rt.downloads.later(pause.get(), () -> fetch(rt, run, attempt + 1, startedNanos));
        } else {
          rt.events.notice(folder.machine() + ": artifacts not kept: " + reply.problem().message());
        }
        return;
      }
      if (!reply.value()) {
        folder.markNoArtifacts();
      } else {
        install(download, dir.resolve(MachineFolder.ARTIFACTS));
      }
      run.artifactsKept();
    } catch (BadBundleException e) {
      rt.events.notice(folder.machine() + ": artifacts not kept: " + e.getMessage());
    } finally {
      Files.deleteIfExists(download);
    }
  }

  /**
   * Unpacks {@code bundle} into a hidden folder beside {@code target}, then renames it into place,
   * replacing what was there. An agent's bundle holds one {@code artifacts/} folder; its contents
   * become {@code target}. On failure {@code target} is left as it was.
   */
  static void install(Path bundle, Path target) throws IOException {
    Path temp = target.resolveSibling(hidden(target.getFileName().toString()));
    try {
      unpack(bundle, temp);
      Path top = temp.resolve(MachineFolder.ARTIFACTS);
      Path contents = onlyEntry(temp).equals(List.of(top)) && isFolder(top) ? top : temp;
      delete(target);
      Files.move(contents, target);
    } finally {
      delete(temp);
    }
  }

  /**
   * Unpacks a gzipped tar under {@code dest}. Refuses the whole bundle when an entry's path, or a
   * link's target, could reach outside {@code dest}. Devices and fifos are skipped.
   */
  static void unpack(Path bundle, Path dest) throws IOException {
    Files.createDirectories(dest);
    Path root = dest.toRealPath();
    try (InputStream file = new BufferedInputStream(Files.newInputStream(bundle));
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        Path target = root.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !target.startsWith(root)) {
          throw new BadBundleException("entry escapes the artifacts folder: " + name, null);
        }
        if (target.equals(root)) {
          // "./", as tar writes for the folder itself; anything else there has no name.
          if (entry.isDirectory()) {
            continue;
          }
          throw new BadBundleException("entry without a name: " + name, null);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          checkInside(root, target, name);
          continue;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        // A link unpacked earlier must not carry later entries out of the folder.
        checkInside(root, parent, name);
        if (Files.isSymbolicLink(target)) {
          Files.delete(target);
        }
        if (entry.isSymbolicLink()) {
          createLink(target, entry.getLinkName(), name);
        } else if (entry.isLink()) {
          Path source = root.resolve(entry.getLinkName()).normalize();
          if (!source.startsWith(root) || !source.toRealPath().startsWith(root)) {
            throw new BadBundleException("link points outside the artifacts folder: " + name, null);
          }
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } else if (entry.isFile()) {
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (BadBundleException e) {
      throw e;
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new BadBundleException("not a readable tar archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BadBundleException("cannot unpack the bundle: " + e.getMessage(), e);
    }
  }

  /**
   * Only a relative link that never climbs is kept: whatever links it passes through obey the same
   * rule, so it always resolves inside the folder. Checking {@code ..} against the folder's layout
   * would be fooled by a link that climbs after an earlier link was followed.
   */
  private static void createLink(Path target, String linkName, String name) throws IOException {
    Path link = Path.of(linkName);
    boolean climbs = false;
    for (Path part : link) {
      climbs |= part.toString().equals("..");
    }
    if (linkName.isEmpty() || link.isAbsolute() || climbs) {
      throw new BadBundleException("link points outside the artifacts folder: " + name, null);
    }
    Files.createSymbolicLink(target, link);
  }

  private static void checkInside(Path root, Path path, String name) throws IOException {
    if (!path.toRealPath().startsWith(root)) {
      throw new BadBundleException("entry escapes the artifacts folder: " + name, null);
    }
  }

  private static List<Path> onlyEntry(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.limit(2).toList();
    }
  }

  private static boolean isFolder(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  /** A hidden name beside {@code name}, unique so two runs on one tree never share it. */
  private static String hidden(String name) {
    return "." + name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  /** Deletes a file or folder tree without following links; absent is fine. */
  private static void delete(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (isFolder(path)) {
      try (Stream<Path> entries = Files.list(path)) {
        for (Path entry : entries.toList()) {
          delete(entry);
        }
      }
    }
    Files.delete(path);
  }
}
