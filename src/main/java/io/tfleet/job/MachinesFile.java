package io.tfleet.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a machines file: one id a line, trimmed; blank lines and {@code #} comments skipped. */
public final class MachinesFile {
  private MachinesFile() {}

  /** Returns the machine ids in file order, or throws naming the file, line and problem. */
  public static List<MachineId> read(Path file) throws InputException {
    String text = readText(file);
    List<MachineId> ids = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String id = lines[i].strip();
      if (id.isEmpty() || id.startsWith("#")) {
        continue;
      }
      String problem = MachineId.problemWith(id);
      if (problem != null) {
        throw InputException.at(file, lineNo, problem);
      }
      Integer earlier = firstLine.putIfAbsent(id, lineNo);
      if (earlier != null) {
        throw InputException.at(
            file, lineNo, "duplicate machine id '" + id + "' (first on line " + earlier + ")");
      }
      ids.add(new MachineId(id, lineNo));
    }
    if (ids.isEmpty()) {
      throw InputException.at(file, 0, "no machine ids (one id a line expected)");
    }
    return ids;
  }

  /** Reads a whole text file as UTF-8, refusing binary content with a clear message. */
  static String readText(Path file) throws InputException {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw InputException.at(file, 0, "is a directory, not a file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw InputException.at(file, 0, "no such file");
    } catch (IOException e) {
      throw InputException.at(file, 0, "cannot read: " + e.getMessage());
    }
    for (byte b : bytes) {
      if (b == 0) {
        throw InputException.at(file, 0, "is a binary file, not text");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw InputException.at(file, 0, "is not UTF-8 text");
    }
  }
}
