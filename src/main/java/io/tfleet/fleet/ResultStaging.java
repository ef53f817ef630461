package io.tfleet.fleet;

import io.tfleet.client.ResultSink;
import io.tfleet.client.TestOutputWatch;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.StagedFiles;
import io.tfleet.store.TreeException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One result being read into a machine folder as it arrives: the server's answer byte for byte to
 * {@code result.json}, each phase's output to its own file, the hw status rule over the test
 * output, all under temporary names until {@link #commit} renames them into place, {@code
 * result.json} last, so its presence means the rest is there. Closing without committing leaves
 * nothing behind.
 */
final class ResultStaging implements ResultSink, Closeable {
  private final Path dir;
  private final StagedFiles staged;
  private final Pattern statusPattern;
  private final OutputStream raw;
  private final Map<String, Counting> outputs = new TreeMap<>();
  private TestOutputWatch test;

  ResultStaging(Path dir, Pattern statusPattern) throws IOException {
    this.dir = dir;
    this.staged = new StagedFiles(dir);
    this.statusPattern = statusPattern;
    this.raw = staged.create(MachineFolder.RESULT);
  }

  /** Where the server's answer goes, byte for byte. */
  OutputStream raw() {
    return raw;
  }

  @Override
  public OutputStream open(String field) throws IOException {
    if (!field.endsWith("_output")) {
      return OutputStream.nullOutputStream();
    }
    String phase = field.substring(0, field.length() - "_output".length());
    String name = MachineFolder.phaseOutputFile(phase);
    if (outputs.containsKey(name)) {
      return OutputStream
          .nullOutputStream(); // a field given twice: the first one counts, as for Jackson
    }
    Counting file = new Counting(staged.create(name));
    outputs.put(name, file);
    if (!"test".equals(phase)) {
      return file;
    }
    test = new TestOutputWatch(file, statusPattern);
    return test;
  }

  /** The hw status of the test output: the rule's first match, else {@code Unknown}. */
  String hwStatus() {
    return test == null
        ? Results.UNKNOWN_HW_STATUS
        : test.hwStatus().orElse(Results.UNKNOWN_HW_STATUS);
  }

  /** The end of the test output, for the reports; empty when there was none. */
  String tail() {
    return test == null ? "" : test.tail();
  }

  /**
   * Renames the files into place: the phase outputs that printed something, {@code output.txt} and
   * {@code hw_status.txt} when the job {@code completed} (as the original files them), {@code
   * result.json} last. Returns the names of the outputs filed.
   */
  List<String> commit(boolean completed, String hwStatus) throws IOException {
    List<String> order = new ArrayList<>();
    List<String> filed = new ArrayList<>();
    for (Map.Entry<String, Counting> output : outputs.entrySet()) {
      String name = output.getKey();
      boolean isTest = name.equals(MachineFolder.OUTPUT);
      if (isTest ? completed : output.getValue().bytes > 0) {
        order.add(name);
        filed.add(name);
      }
    }
    if (completed) {
      if (!outputs.containsKey(MachineFolder.OUTPUT)) {
        staged.create(MachineFolder.OUTPUT).close();
        order.add(MachineFolder.OUTPUT);
        filed.add(MachineFolder.OUTPUT);
      }
      try (OutputStream hw = staged.create(MachineFolder.HW_STATUS)) {
        hw.write(hwStatus.getBytes(StandardCharsets.UTF_8));
      }
      order.add(MachineFolder.HW_STATUS);
    }
    order.add(MachineFolder.RESULT);
    // Outputs not filed (a cancelled job's test output, empty phases) are left to close().
    staged.commit(order, /* discardOthers= */ true);
    return filed;
  }

  @Override
  public void close() throws IOException {
    staged.close();
  }

  /**
   * Counts what goes to a file, and turns the disk's failures into the tree's: they must stop the
   * run, not pass for a network problem to retry.
   */
  private final class Counting extends OutputStream {
    private final OutputStream out;
    long bytes;

    Counting(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int off, int len) {
      try {
        out.write(buffer, off, len);
        bytes += len;
      } catch (IOException e) {
        throw new TreeException(dir, e);
      }
    }

    @Override
    public void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new TreeException(dir, e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new TreeException(dir, e);
      }
    }
  }
}
