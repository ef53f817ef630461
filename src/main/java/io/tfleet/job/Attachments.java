package io.tfleet.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Attachments as the upstream CLI handles them: every {@code <phase>_data.attachments} entry with a
 * {@code local} path is packed into one gzipped tar under {@code <phase>/<agent path>}, and in the
 * submitted job the entry carries {@code agent} instead of {@code local}.
 */
public final class Attachments {
  /** The phases whose data may carry attachments, in the order the upstream CLI packs them. */
  public static final List<String> PHASES = List.of("provision", "firmware_update", "test");

  private Attachments() {}

  /**
   * Finds the local attachments of {@code job}, rewriting each entry in place to name its agent
   * path, and checks that every local path exists.
   *
   * @param relativeTo the folder that relative local paths are resolved against, and that agent
   *     paths are made relative to
   * @param template named in errors
   */
  public static List<Attachment> extract(ObjectNode job, Path relativeTo, Path template)
      throws InputException {
    List<Attachment> found = new ArrayList<>();
    Path base = relativeTo.toAbsolutePath().normalize();
    for (String phase : PHASES) {
      JsonNode entries = job.path(phase + "_data").path("attachments");
      for (int i = 0; i < entries.size(); i++) {
        JsonNode entry = entries.get(i);
        if (!(entry instanceof ObjectNode object) || !entry.hasNonNull("local")) {
          continue;
        }
        String where = phase + "_data.attachments[" + i + "]";
        String localText = object.get("local").asText();
        if (localText.isBlank()) {
          throw InputException.at(template, 0, where + ": 'local' is empty");
        }
        Path local = base.resolve(localText).normalize();
        if (!Files.exists(local)) {
          throw InputException.at(
              template,
              0,
              where + ": local path '" + localText + "' not found (looked for " + local + ")");
        }
        String agent = agentPath(object.path("agent").asText(""), local, base);
        if (agent.isEmpty()
            || agent.equals(".")
            || agent.startsWith("../")
            || agent.contains("/../")) {
          throw InputException.at(
              template, 0, where + ": agent path '" + agent + "' is not a place in the archive");
        }
        object.remove("local");
        object.put("agent", agent);
        found.add(new Attachment(phase, local, agent));
      }
    }
    return found;
  }

  /** The entry's own {@code agent} path, else the path relative to the base, else the file name. */
  static String agentPath(String agent, Path local, Path base) {
    if (!agent.isBlank()) {
      return agent.replaceFirst("^/+", "");
    }
    if (local.startsWith(base) && !local.equals(base)) {
      return base.relativize(local).toString();
    }
    return local.getFileName().toString();
  }

  /**
   * Writes the archive to {@code out}, streaming each file, so its size never matters to memory.
   * The named paths are followed when they are symbolic links (the user means the file); links
   * inside an attached folder stay links, as tar keeps them. File modes are kept.
   */
  public static void pack(List<Attachment> attachments, OutputStream out) throws IOException {
    try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Attachment attachment : attachments) {
        Path root = attachment.local().toRealPath();
        if (Files.isDirectory(root)) {
          addTree(tar, root, attachment.archivePath());
        } else {
          addFile(tar, root, attachment.archivePath());
        }
      }
      tar.finish();
    }
  }

  private static void addTree(TarArchiveOutputStream tar, Path root, String name)
      throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted().toList();
    }
    for (Path path : paths) {
      String entryName = path.equals(root) ? name : name + "/" + root.relativize(path);
      if (Files.isSymbolicLink(path)) {
        TarArchiveEntry link = new TarArchiveEntry(entryName, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName(Files.readSymbolicLink(path).toString());
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        TarArchiveEntry dir = new TarArchiveEntry(entryName + "/");
        dir.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode(path));
        dir.setModTime(Files.getLastModifiedTime(path));
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
      } else {
        addFile(tar, path, entryName);
      }
    }
  }

  private static void addFile(TarArchiveOutputStream tar, Path file, String name)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(Files.size(file));
    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode(file));
    entry.setModTime(Files.getLastModifiedTime(file));
    tar.putArchiveEntry(entry);
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }

  /** The permission bits (rwx for user, group, others) of {@code path}. */
  private static int mode(Path path) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
