package io.tfleet.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentsTest {
  private static final ObjectMapper YAML = new YAMLMapper();

  @TempDir Path dir;

  private ObjectNode job(String yaml) throws Exception {
    return (ObjectNode) YAML.readTree(yaml);
  }

  /** Entry name to "type mode [content|link]" for every entry of the archive. */
  private static Map<String, String> entries(byte[] archive) throws Exception {
    Map<String, String> found = new TreeMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String mode = Integer.toOctalString(e.getMode() & 0777);
        if (e.isSymbolicLink()) {
          found.put(e.getName(), "link -> " + e.getLinkName());
        } else if (e.isDirectory()) {
          found.put(e.getName(), "dir " + mode);
        } else {
          found.put(
              e.getName(),
              "file " + mode + " " + new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return found;
  }

  @Test
  void archiveLayoutFollowsTheUpstreamRules() throws Exception {
    Path base = Files.createDirectories(dir.resolve("base"));
    Path hwctl = Files.writeString(base.resolve("hwctl"), "#!/bin/sh\necho hw\n");
    Files.setPosixFilePermissions(hwctl, PosixFilePermissions.fromString("rwxr-x---"));
    Path data = Files.createDirectories(base.resolve("data/sub"));
    Files.writeString(data.resolve("a.txt"), "A");
    Files.createSymbolicLink(base.resolve("data/link"), Path.of("sub/a.txt"));
    Path outside = Files.writeString(dir.resolve("outside.cfg"), "O");
    Files.createSymbolicLink(base.resolve("alias"), hwctl);
    ObjectNode job =
        job(
            String.join(
                "\n",
                "job_queue: q",
                "provision_data:",
                "  attachments:",
                "    - local: data",
                "test_data:",
                "  attachments:",
                "    - local: hwctl",
                "    - local: hwctl",
                "      agent: /opt/bin/hwctl",
                "    - local: " + outside,
                "    - local: alias",
                "    - agent: already/remote.bin",
                ""));

    List<Attachment> attachments = Attachments.extract(job, base, dir.resolve("tf-job.yaml"));
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    Attachments.pack(attachments, archive);

    Map<String, String> expected = new TreeMap<>();
    expected.put("provision/data/", "dir " + Integer.toOctalString(modeOf(base.resolve("data"))));
    expected.put("provision/data/link", "link -> sub/a.txt");
    expected.put("provision/data/sub/", "dir " + Integer.toOctalString(modeOf(data)));
    expected.put(
        "provision/data/sub/a.txt",
        "file " + Integer.toOctalString(modeOf(data.resolve("a.txt"))) + " A");
    expected.put("test/hwctl", "file 750 #!/bin/sh\necho hw\n");
    expected.put("test/opt/bin/hwctl", "file 750 #!/bin/sh\necho hw\n");
    expected.put("test/outside.cfg", "file " + Integer.toOctalString(modeOf(outside)) + " O");
    expected.put("test/alias", "file 750 #!/bin/sh\necho hw\n");
    assertThat(entries(archive.toByteArray())).isEqualTo(expected);

    assertThat(job.at("/test_data/attachments/0").toString()).isEqualTo("{\"agent\":\"hwctl\"}");
    assertThat(job.at("/test_data/attachments/1").toString())
        .isEqualTo("{\"agent\":\"opt/bin/hwctl\"}");
    assertThat(job.at("/test_data/attachments/2").toString())
        .isEqualTo("{\"agent\":\"outside.cfg\"}");
    assertThat(job.at("/test_data/attachments/4").toString())
        .isEqualTo("{\"agent\":\"already/remote.bin\"}");
    assertThat(job.at("/provision_data/attachments/0/agent").asText()).isEqualTo("data");
  }

  @Test
  void missingLocalFileNamesTheEntryAndThePath() throws Exception {
    ObjectNode job = job("job_queue: q\ntest_data:\n  attachments:\n    - local: nothere/hwctl\n");
    Path template = dir.resolve("tf-job.yaml");
    assertThatThrownBy(() -> Attachments.extract(job, dir, template))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(
            template + ": test_data.attachments[0]: local path 'nothere/hwctl' not found");
  }

  @Test
  void jobWithoutAttachmentsHasNone() throws Exception {
    assertThat(Attachments.extract(job("job_queue: q\ntest_data:\n  test_cmds: ls\n"), dir, dir))
        .isEmpty();
  }

  private static int modeOf(Path p) throws Exception {
    int mode = 0;
    for (var perm : Files.getPosixFilePermissions(p)) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }
}
