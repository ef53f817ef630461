package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.job.InputException;
import io.tfleet.job.Shard;
import io.tfleet.report.Reports;
import io.tfleet.report.RunReport;
import io.tfleet.store.Folders;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Merges the output trees of one run's shards into one tree, as if one tfleet had run every
 * machine: each machine's folder is copied into the new tree, which gets a manifest of all the
 * machines and its own reports. Copies rather than links, so that the merged tree is one folder
 * that can be moved, uploaded or rebuilt with {@code tfleet report} on its own.
 */
public final class ShardMerge {
  /** How many clashing machines a refusal names before it only counts them. */
  private static final int MAX_NAMED = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A merged tree.
   *
   * @param report the merged tree's report, as written into it
   * @param warnings what the caller should tell the user (a shard missing from a split)
   */
  public record Merged(RunReport report, List<String> warnings) {
    public Merged {
      Objects.requireNonNull(report, "report");
      warnings = List.copyOf(warnings);
    }
  }

  /** One tree to merge, checked. */
  private record Part(Path dir, OutputTree tree, RunManifest manifest, Shard shard) {}

  private ShardMerge() {}

  /**
   * Merges {@code trees} into a new tree at {@code out}, which must not exist or be empty. Every
   * check is made before anything is written, and the new tree appears whole or not at all: it is
   * built beside {@code out} and renamed into place.
   *
   * @throws InputException when the trees are not shards of one run (another server, another
   *     template or variables, another split), share a machine, or {@code out} is taken
   * @throws IOException when a tree cannot be read or the new one cannot be written
   */
  public static Merged merge(List<Path> trees, Path out) throws InputException, IOException {
    if (trees.isEmpty()) {
      throw new InputException("merge: no trees given");
    }
    checkOut(trees, out);
    List<Part> parts = new ArrayList<>();
    for (Path dir : trees) {
      parts.add(part(dir));
    }
    sameRun(parts);
    List<String> machines = machines(parts);
    List<String> warnings = missingShards(parts);

    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".merging-");
    try {
      for (Part part : parts) {
        for (MachineFolder folder : part.tree().machines()) {
          if (Files.isDirectory(folder.dir(), LinkOption.NOFOLLOW_LINKS)) {
            copyTree(folder.dir(), staging.resolve(folder.machine()));
          }
        }
      }
      RunManifest first = parts.get(0).manifest();
      new RunManifest(
              first.server(),
              machines,
              first.templateDigest(),
              null,
              null,
              null,
              Instant.now().toString())
          .write(staging);
      OutputTree merged = OutputTree.open(staging, /* create= */ false);
      Instant[] span = span(parts);
      RunReport report = RunReports.ofTree(merged, first.server(), span[0], span[1]);
      Reports.writeAll(report, staging);
      moveIntoPlace(staging, target);
      return new Merged(report, warnings);
    } finally {
      try {
        Folders.deleteTree(staging); // gone already when the merge succeeded
      } catch (IOException e) {
        // Leaves a hidden folder beside the tree; the failure that brought us here matters more.
      }
    }
  }

  private static void checkOut(List<Path> trees, Path out) throws InputException, IOException {
    Path target = out.toAbsolutePath().normalize();
    for (Path dir : trees) {
      Path tree = dir.toAbsolutePath().normalize();
      if (target.startsWith(tree) || tree.startsWith(target)) {
        throw new InputException(
            out
                + ": the merged tree must be a new folder, apart from the trees merged ("
                + dir
                + ")");
      }
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
        throw new InputException(out + ": is a file, not a folder for the merged tree");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
        if (entries.iterator().hasNext()) {
          throw new InputException(
              out
                  + ": not empty; merge writes a new tree (remove it, or name another"
                  + " --output-dir)");
        }
      }
    }
  }

  private static Part part(Path dir) throws InputException, IOException {
    OutputTree tree;
    RunManifest manifest;
    try {
      tree = OutputTree.open(dir, /* create= */ false);
      manifest =
          tree.manifest()
              .orElseThrow(
                  () ->
                      new InputException(
                          dir
                              + ": no run manifest ("
                              + RunManifest.FILE
                              + "): only trees written by tfleet can be merged, because they say which run"
                              + " they belong to"));
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
    Shard shard = null;
    if (manifest.shard() != null) {
      try {
        shard = Shard.parse(manifest.shard());
      } catch (IllegalArgumentException e) {
        throw new InputException(dir.resolve(RunManifest.FILE) + ": " + e.getMessage());
      }
    }
    return new Part(dir, tree, manifest, shard);
  }

  /** Refuses trees that are not shards of one run: another server, template, variables or split. */
  private static void sameRun(List<Part> parts) throws InputException {
    Part first = parts.get(0);
    for (Part p : parts.subList(1, parts.size())) {
      if (!Objects.equals(first.manifest().server(), p.manifest().server())) {
        throw new InputException(
            "not one run: "
                + first.dir()
                + " ran on "
                + first.manifest().server()
                + ", "
                + p.dir()
                + " on "
                + p.manifest().server());
      }
      if (!Objects.equals(first.manifest().templateDigest(), p.manifest().templateDigest())) {
        throw new InputException(
            "not one run: "
                + first.dir()
                + " and "
                + p.dir()
                + " ran different templates or --var values (their manifests' template digests differ)");
      }
      if ((first.shard() == null) != (p.shard() == null)) {
        Part sharded = first.shard() != null ? first : p;
        Part whole = first.shard() != null ? p : first;
        throw new InputException(
            "not one run: "
                + sharded.dir()
                + " is shard "
                + sharded.shard()
                + " but "
                + whole.dir()
                + " ran without --shard");
      }
      if (first.shard() != null && first.shard().n() != p.shard().n()) {
        throw new InputException(
            "not one run: "
                + first.dir()
                + " is shard "
                + first.shard()
                + ", "
                + p.dir()
                + " is shard "
                + p.shard()
                + " of another split");
      }
    }
    Map<Shard, Path> seen = new LinkedHashMap<>();
    for (Part p : parts) {
      if (p.shard() != null) {
        Path other = seen.putIfAbsent(p.shard(), p.dir());
        if (other != null) {
          throw new InputException(other + " and " + p.dir() + " are both shard " + p.shard());
        }
      }
    }
  }

  /** Every machine of the parts, in the order given; refuses a machine that two trees hold. */
  private static List<String> machines(List<Part> parts) throws InputException, IOException {
    Map<String, Path> owner = new LinkedHashMap<>();
    List<String> clashes = new ArrayList<>();
    for (Part p : parts) {
      for (MachineFolder folder : p.tree().machines()) {
        Path other = owner.putIfAbsent(folder.machine(), p.dir());
        if (other != null) {
          clashes.add(folder.machine() + " (" + other + " and " + p.dir() + ")");
        }
      }
    }
    if (!clashes.isEmpty()) {
      List<String> named = clashes.subList(0, Math.min(MAX_NAMED, clashes.size()));
      throw new InputException(
          clashes.size()
              + " machine(s) are in more than one tree, so the trees are"
              + " not distinct shards; nothing was written:\n  "
              + String.join("\n  ", named)
              + (clashes.size() > named.size()
                  ? "\n  and " + (clashes.size() - named.size()) + " more"
                  : ""));
    }
    if (owner.isEmpty()) {
      throw new InputException(
          "no machines in " + parts.stream().map(p -> p.dir().toString()).toList());
    }
    return new ArrayList<>(owner.keySet());
  }

  /** Says which shards of the split are not among the trees: an empty shard writes no tree. */
  private static List<String> missingShards(List<Part> parts) {
    Shard any = parts.get(0).shard();
    if (any == null) {
      return List.of();
    }
    TreeSet<Integer> missing = new TreeSet<>();
    for (int k = 1; k <= any.n(); k++) {
      missing.add(k);
    }
    parts.forEach(p -> missing.remove(p.shard().k()));
    List<String> warnings = new ArrayList<>();
    for (int k : missing) {
      warnings.add(
          "shard "
              + k
              + "/"
              + any.n()
              + " is not among the trees merged (a shard with no machines"
              + " writes no tree; else its tree is missing)");
    }
    return warnings;
  }

  /**
   * The earliest start and latest end the shards' {@code summary.json} files record; nulls when
   * unknown.
   */
  private static Instant[] span(List<Part> parts) {
    Instant started = null;
    Instant finished = null;
    for (Part p : parts) {
      try {
        JsonNode summary = JSON.readTree(p.dir().resolve(Reports.SUMMARY_JSON).toFile());
        Instant s = instant(summary.path("started_at"));
        Instant f = instant(summary.path("finished_at"));
        if (s != null && (started == null || s.isBefore(started))) {
          started = s;
        }
        if (f != null && (finished == null || f.isAfter(finished))) {
          finished = f;
        }
      } catch (IOException e) {
        // A shard without a readable summary.json (interrupted before its reports) adds no times.
      }
    }
    return new Instant[] {started, finished};
  }

  private static Instant instant(JsonNode node) {
    try {
      return node.isTextual() ? Instant.parse(node.asText()) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (file.getFileName().toString().contains(".tmp-")) {
              return FileVisitResult.CONTINUE; // a write that never finished in the shard's tree
            }
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    // checkOut found it absent or empty; an empty folder gives way to the whole new tree.
    Files.deleteIfExists(target);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
  }
}
